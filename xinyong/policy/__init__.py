"""Policy as data: the YAML policy files and their loader (see `loader` for the merge rule)."""

from xinyong.policy.loader import ENV_VAR, SHIPPED_DIR, forget_policy, load_policy
from xinyong.policy.schemas import CatalogField, CatalogItem, Category, CodeList, FieldType, Policy

__all__ = [
    "ENV_VAR",
    "SHIPPED_DIR",
    "CatalogField",
    "CatalogItem",
    "Category",
    "CodeList",
    "FieldType",
    "Policy",
    "forget_policy",
    "load_policy",
]
