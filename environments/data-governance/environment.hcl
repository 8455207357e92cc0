# Data Governance: the governed data lake (Lake Formation is the only authority) and the grants
# that let each dev account read what its LF-tag expression matches.
role       = "data-governance"
account_id = "666666666666"

lake {
  # Data engineers who publish datasets and manage grants (Lake Formation administrators).
  admin_principal_arns = [
    "arn:aws:iam::666666666666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataEngineer_6e7f8a9b0c1d2e3f",
  ]

  # The account's S3 server access log bucket (logging baseline); every lake bucket logs to it.
  access_log_bucket = "mlgov-s3-access-logs-666666666666-eu-west-1"

  lf_tags = {
    domain         = ["sales", "marketing"]
    classification = ["public", "internal", "confidential"]
  }

  database "sales" {
    description = "Orders and customers, curated daily"
    lf_tags     = { domain = "sales", classification = "internal" }

    table "orders" {
      columns = [
        { name = "order_id", type = "string" },
        { name = "customer_id", type = "string" },
        { name = "amount_eur", type = "decimal(12,2)" },
      ]
      partition_keys = [{ name = "order_date", type = "date" }]
    }

    table "customers" {
      columns = [
        { name = "customer_id", type = "string" },
        { name = "email", type = "string", comment = "personal data" },
        { name = "segment", type = "string" },
      ]
      lf_tags = { classification = "confidential" }
    }
  }

  database "marketing" {
    description = "Campaign results"
    lf_tags     = { domain = "marketing", classification = "public" }

    table "campaigns" {
      format = "csv"
      columns = [
        { name = "campaign_id", type = "string" },
        { name = "channel", type = "string" },
        { name = "conversions", type = "bigint" },
      ]
    }
  }

  # Team A reads sales data up to internal (not the confidential customers table) and marketing;
  # team B reads marketing only. DESCRIBE and SELECT, never a grant option.
  grant "dev-team-a" {
    expression = { domain = ["sales", "marketing"], classification = ["public", "internal"] }
  }

  grant "dev-team-b" {
    expression = { domain = ["marketing"] }
  }

  # Central feature store: offline stores in the lake (LF-tags below, so team A's sales grant
  # reaches them), online store for real-time lookups; team A discovers and reads the group
  # through AWS RAM (read-only).
  feature_store {
    lf_tags = { domain = "sales", classification = "internal" }

    feature_group "customer-orders" {
      description       = "Order behaviour per customer, computed daily from sales.orders"
      record_identifier = "customer_id"
      event_time        = "event_time"
      online            = true
      features = [
        { name = "customer_id", type = "String" },
        { name = "event_time", type = "String" },
        { name = "orders_90d", type = "Integral" },
        { name = "spend_90d_eur", type = "Fractional" },
      ]
      shared_with = ["dev-team-a"]
    }
  }
}

# SageMaker Unified Studio (DataZone V2) domain with the data-lake blueprint: one project per dev
# team, derived from the dev environments. A stack of its own (data-governance-unified-studio),
# because its module needs hashicorp/aws 6.x.
unified_studio {
  description                    = "ML data portal: publish, find and subscribe to lake data"
  single_sign_on_type            = "IAM_IDC"
  single_sign_on_user_assignment = "MANUAL"
}
