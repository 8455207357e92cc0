# Data Governance account: the governed data lake. Two databases (sales with orders and
# customers, marketing with campaigns), LF-tags domain and classification, and LF-tag grants to
# two ML dev accounts: team-a may read public and internal sales data and, through a column and
# row filter, part of the confidential customers table; team-b public data of any domain. A
# central feature store with one feature group, shared read-only with team-a.

provider "aws" {
  region = "eu-central-1"

  default_tags {
    tags = {
      "mlgov:environment" = "example"
    }
  }
}

locals {
  governance_account_id = "444444444444"
  team_a_account_id     = "222222222222"
  team_b_account_id     = "333333333333"
}

module "data_lake" {
  source = "../.."

  name            = "mlgov-lake"
  organization_id = "o-exampleorg1"

  # IAM Identity Center permission-set role of the data stewards in this account.
  lake_admin_principal_arns = [
    "arn:aws:iam::${local.governance_account_id}:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_DataLakeAdmin_0123456789abcdef",
  ]

  lf_tags = {
    domain         = ["sales", "marketing"]
    classification = ["public", "internal", "confidential"]
  }

  databases = {
    sales = {
      description = "Sales orders and customers."
      lf_tags     = { domain = "sales", classification = "internal" }
      tables = {
        orders = {
          description = "One row per order line, partitioned by order date."
          columns = [
            { name = "order_id", type = "string" },
            { name = "customer_id", type = "string" },
            { name = "product_id", type = "string" },
            { name = "quantity", type = "int" },
            { name = "amount", type = "decimal(12,2)", comment = "Line total in EUR." },
          ]
          partition_keys = [{ name = "order_date", type = "date" }]
        }
        customers = {
          description = "Customer master data, as delivered by the CRM export."
          zone        = "raw"
          format      = "csv"
          columns = [
            { name = "customer_id", type = "string" },
            { name = "email", type = "string" },
            { name = "country", type = "string" },
            { name = "segment", type = "string" },
          ]
          lf_tags = { classification = "confidential" }
        }
      }
    }
    marketing = {
      description = "Marketing campaigns and their results."
      lf_tags     = { domain = "marketing", classification = "public" }
      tables = {
        campaigns = {
          format = "json"
          columns = [
            { name = "campaign_id", type = "string" },
            { name = "channel", type = "string" },
            { name = "budget", type = "decimal(12,2)" },
            { name = "started_at", type = "timestamp" },
          ]
        }
      }
    }
  }

  consumer_grants = {
    (local.team_a_account_id) = {
      expression = {
        domain         = ["sales"]
        classification = ["public", "internal"]
      }
      # Confidential customers: German customers only, without their e-mail address.
      table_filters = {
        "sales.customers" = {
          excluded_column_names = ["email"]
          row_filter            = "country = 'DE'"
        }
      }
    }
    (local.team_b_account_id) = {
      expression = {
        classification = ["public"]
      }
      permissions = ["DESCRIBE", "SELECT"]
    }
  }

  # Central feature store: customer features computed from sales, offline store governed by the
  # same LF-tags (team-a's sales/internal grant reaches it, team-b's public grant does not);
  # team-a may also discover the catalog and read the records through AWS RAM.
  feature_store = {
    lf_tags = { domain = "sales", classification = "internal" }
    feature_groups = {
      "customer-orders" = {
        description       = "Order behaviour per customer, daily."
        record_identifier = "customer_id"
        event_time        = "event_time"
        online            = true
        features = [
          { name = "customer_id", type = "String" },
          { name = "event_time", type = "String" },
          { name = "orders_90d", type = "Integral" },
          { name = "spend_90d", type = "Fractional" },
        ]
        shared_with_account_ids = [local.team_a_account_id]
      }
    }
  }

  access_log_bucket_name = "example-org-s3-access-logs"

  tags = {
    "mlgov:owner" = "data-governance"
  }
}
