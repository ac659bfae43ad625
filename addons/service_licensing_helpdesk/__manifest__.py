{
    "name": "Service Licensing: Help Desk",
    "version": "19.0.1.0.0",
    "summary": "Licence cancellation and reduction requests become support requests",
    "category": "Services/Helpdesk",
    "author": "Service Portal for Odoo",
    "website": "https://github.com/service-portal-odoo/service-portal",
    "license": "LGPL-3",
    "depends": ["service_licensing", "service_helpdesk"],
    "auto_install": True,
}
