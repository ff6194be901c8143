"""Policy as data: the YAML policy files and their loader (see `loader` for the registry of
concerns and the merge rule)."""

from xinyong.policy.loader import (
    SHIPPED_DIR,
    active_policy_dir,
    forget_policy,
    load_policy,
    use_policy,
)
from xinyong.policy.schemas import CatalogField, CatalogItem, Category, CodeList, FieldType, Policy

__all__ = [
    "SHIPPED_DIR",
    "CatalogField",
    "CatalogItem",
    "Category",
    "CodeList",
    "FieldType",
    "Policy",
    "active_policy_dir",
    "forget_policy",
    "load_policy",
    "use_policy",
]
