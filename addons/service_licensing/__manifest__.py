{
    "name": "Service Licensing",
    "version": "19.0.1.2.0",
    "summary": "Technician seat licences sold as Stripe subscriptions, allocated from the portal",
    "category": "Services/Field Service",
    "author": "Service Portal for Odoo",
    "website": "https://github.com/service-portal-odoo/service-portal",
    "license": "LGPL-3",
    "depends": ["service_portal", "payment_stripe"],
    "external_dependencies": {"python": ["stripe"]},
    "data": [
        "security/service_licensing_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/product_template_views.xml",
        "views/service_subscription_views.xml",
        "views/service_license_views.xml",
        "views/service_stripe_event_views.xml",
        "views/res_partner_views.xml",
        "views/menus.xml",
        "views/portal_templates.xml",
        "views/portal_work_templates.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/licensing_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "service_licensing/static/tests/tours/*.js",
        ],
    },
}
