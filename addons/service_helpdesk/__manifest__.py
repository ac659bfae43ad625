{
    "name": "Service Help Desk",
    "version": "19.0.1.0.0",
    "summary": "Portal support requests and a knowledge base fed by resolved requests",
    "category": "Services/Helpdesk",
    "author": "Service Portal for Odoo",
    "website": "https://github.com/service-portal-odoo/service-portal",
    "license": "LGPL-3",
    "depends": ["service_portal"],
    "data": [
        "security/service_helpdesk_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/service_ticket_views.xml",
    ],
    "demo": [
        "demo/service_ticket_demo.xml",
    ],
    "application": True,
}
