from . import helpdesk_website, portal
