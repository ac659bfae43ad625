from . import helpdesk_website, portal, request_windows
