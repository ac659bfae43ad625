{
    "name": "Service Licensing",
    "version": "19.0.1.0.0",
    "summary": "Technician seat licences sold as Stripe subscriptions, allocated from the portal",
    "category": "Services/Field Service",
    "author": "Service Portal for Odoo",
    "website": "https://github.com/service-portal-odoo/service-portal",
    "license": "LGPL-3",
    "depends": ["service_portal", "payment_stripe"],
    "external_dependencies": {"python": ["stripe"]},
    "data": [
        "security/service_licensing_security.xml",
        "views/product_template_views.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
    ],
}
