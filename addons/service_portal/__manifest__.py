{
    "name": "Service Portal",
    "version": "19.0.1.0.0",
    "summary": "Field-service customer portal: job sites, service orders, equipment, documents",
    "category": "Services/Field Service",
    "author": "Service Portal for Odoo",
    "website": "https://github.com/service-portal-odoo/service-portal",
    "license": "LGPL-3",
    "depends": [
        "portal",
        "website",
        "auth_signup",
        "mail",
        "sale_management",
        "account_payment",
    ],
    "data": [
        "security/service_portal_security.xml",
        "views/res_partner_views.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/res_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "service_portal/static/tests/tours/*.js",
        ],
    },
    "application": True,
}
