# Data Governance: data lake, Lake Formation grants, central feature store.
role       = "data-governance"
account_id = "666666666666"
