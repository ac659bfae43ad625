from . import knowledge_base, portal, request_form, request_windows, requests
