"""What a portal user may read: the one list the access matrix test reads.

A field of the three addons (on their own models, or added to Odoo's) that a portal user can
read through the ORM must be listed here; any other field must be declared staff-only with
``groups=`` on its definition. A new field therefore fails the matrix until someone decides.
For Odoo's own models only the fields the addons add are checked: Odoo decides for the rest.
"""

# mail.thread, portal.mixin and rating.mixin plumbing: readable wherever the record is.
COMMON_VISIBLE = frozenset(
    {
        "id",
        "display_name",
        "create_date",
        "write_date",
        "create_uid",
        "write_uid",
        "has_message",
        "message_ids",
        "website_message_ids",
        "message_is_follower",
        "message_follower_ids",
        "message_partner_ids",
        "message_needaction",
        "message_needaction_counter",
        "message_has_error",
        "message_has_error_counter",
        "message_has_sms_error",
        "message_attachment_count",
        "rating_ids",
        "activity_type_icon",
        "access_url",
        "access_warning",
        "can_publish",
        "website_url",
        "website_absolute_url",
        "is_published",
        "website_published",
    }
)

_PARTNER_VISIBLE = frozenset(
    {
        # Odoo's materialized path of the contact tree (ids of the partner's ancestors)
        "parent_path",
        "service_is_job_site",
        "service_job_site_ids",
        "service_job_site_count",
        "service_customer_id",
        "service_scope_partner_id",
        "service_notify_invoices",
        "service_notify_visit_reminders",
        "service_notify_order_updates",
        "service_notify_request_updates",
        "service_use_company_address",
    }
)

# model -> fields a customer contact (within scope) may read, besides COMMON_VISIBLE.
CUSTOMER_VISIBLE = {
    "service.order": frozenset(
        {
            "name",
            "kind",
            "partner_id",
            "site_id",
            "scope_partner_id",
            "equipment_id",
            "date_start",
            "date_end",
            "technician_ids",
            "user_id",
            "state",
            "is_open",
            "is_late",
            "description",
            "completion_report",
            "document_ids",
            "customer_request",
            "customer_request_date",
            "customer_request_note",
            "signature",
            "signed_by",
            "signed_on",
            # arrival window and "on my way": what the customer's order page shows
            "arrival_window_text",
            "en_route_since",
            "expected_arrival_start",
            "expected_arrival_end",
            "expected_arrival_text",
            "is_en_route",
            "sale_order_id",
            "invoice_ids",
            "access_token",
        }
    ),
    "service.equipment": frozenset(
        {
            "name",
            "active",
            "model",
            "serial_number",
            "partner_id",
            "site_id",
            "scope_partner_id",
            "install_date",
            "warranty_end",
            "under_warranty",
            "maintenance_interval",
            "last_service_date",
            "next_maintenance_date",
            "order_ids",
            "order_count",
            "document_ids",
            "access_token",
        }
    ),
    "service.document": frozenset(
        {
            "name",
            "file",
            "file_name",
            "mimetype",
            "published",
            "partner_id",
            "site_id",
            "scope_partner_id",
            "equipment_id",
            "order_id",
        }
    ),
    "service.ticket": frozenset(
        {
            "name",
            "subject",
            "description",
            "partner_id",
            "site_id",
            "scope_partner_id",
            "requester_id",
            "type_id",
            "answer_ids",
            "state",
            "priority",
            "equipment_id",
            "close_date",
            "solution",
            "estimate_ids",
            "estimate_count",
            "stage_id",
            "first_response_date",
            "response_deadline",
            "completion_rating",
            "completion_rating_id",
            "visit_order_id",  # the visit asked for with the request, in the same scope
            "completion_rating_text",
            "completion_rating_feedback",
            "rating_avg",
            "rating_avg_text",
            "rating_count",
            "rating_last_feedback",
            "rating_last_image",
            "rating_last_text",
            "rating_last_value",
            "rating_percentage_satisfaction",
            "access_token",
        }
    ),
    "service.ticket.answer": frozenset({"name", "question_id", "sequence", "ticket_id", "value"}),
    "service.ticket.type": frozenset(
        {
            "name",
            "sequence",
            "active",
            "description",
            "site_mode",
            "question_ids",
            "response_hours",
            "response_hours_high",
            "response_hours_urgent",
            "needs_visit",  # the request form offers arrival windows for such a type
        }
    ),
    "service.ticket.question": frozenset(
        {"name", "help_text", "kind", "choices", "required", "sequence", "type_id"}
    ),
    "service.ticket.stage": frozenset({"name", "sequence", "state", "fold"}),
    "service.kb.article": frozenset(
        {
            "name",
            "sequence",
            "active",
            "problem",
            "solution",
            "category_id",
            "tag_ids",
            "visibility",
            "helpful_count",
            "unhelpful_count",
            # public aggregates: the knowledge base lists the most viewed articles
            "view_count",
            "deflection_count",
            "suggestion_open_count",
        }
    ),
    "service.kb.category": frozenset({"name", "description", "sequence", "active", "article_ids"}),
    "service.kb.tag": frozenset({"name", "color"}),
    # The customer's licensing admins only (the record rules narrow further).
    "service.subscription": frozenset(
        {
            "partner_id",
            "product_id",
            "plan_name",
            "plan_kind",
            "quantity",
            "quantity_allocated",
            "quantity_free",
            "state",
            "date_start",
            "date_end",
            "license_ids",
            "payment_mode",
            "payment_failed_since",
            "sale_order_id",
            "access_suspended",
            "company_id",
        }
    ),
    "service.license": frozenset(
        {
            "name",
            "email",
            "device_type",
            "state",
            "date_allocated",
            "date_revoked",
            "grants_access",
            "partner_id",
            "subscription_id",
            "user_id",
        }
    ),
    # Odoo's models: the fields the addons add.
    "res.partner": _PARTNER_VISIBLE,
    "res.users": _PARTNER_VISIBLE,
    "sale.order": frozenset({"service_ticket_id"}),
    "account.move": frozenset(),
    "product.template": frozenset({"service_plan_kind"}),
    "product.product": frozenset({"service_plan_kind"}),
}

# A technician works on the orders assigned to them and sees nothing commercial: no quote,
# invoice, access token or the customer's own requests. Models absent here: as customers.
TECHNICIAN_VISIBLE = {
    "service.order": CUSTOMER_VISIBLE["service.order"]
    - {
        "sale_order_id",
        "invoice_ids",
        "access_token",
        "customer_request",
        "customer_request_date",
        "customer_request_note",
    },
}
