"""`measures.yaml`: matters and the joint reward and punishment measures, each with its legal
basis."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from xinyong.policy.schemas.common import CODE_PATTERN, PolicyModel, Sourced


class Matter(PolicyModel):
    """A kind of business where measures apply (事项: 政府采购, 招标投标 ...)."""

    code: str = Field(pattern=CODE_PATTERN)
    name: str


class LegalBasis(PolicyModel):
    """The law a measure rests on, for entries of the catalog `items` named (none: every entry
    of the measure's lists): a court rule covers court-made entries only."""

    law: str = Field(min_length=1)
    article: str | None = None
    items: list[str] = []
    verified: bool

    @property
    def text(self) -> str:
        return self.law + (self.article or "")


class Measure(PolicyModel):
    code: str = Field(min_length=1)
    text: str
    kind: Literal["incentive", "punishment"]
    # One basis, or one per kind of entry; a punishment applies to an entry only through a
    # basis that covers the entry's item.
    bases: list[LegalBasis] = Field(default=[], alias="legal_basis")
    list_types: list[str] = Field(min_length=1)
    departments: list[str] = []
    matters: list[str] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _one_basis_or_several(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("legal_basis"), dict):
            return {**data, "legal_basis": [data["legal_basis"]]}
        return data

    @model_validator(mode="after")
    def _punishment_has_basis(self) -> Measure:
        # 依法依规、依清单惩戒 (国办发〔2020〕49号): no punishment without a law and its article.
        if self.kind == "punishment" and (
            not self.bases or not all(basis.article for basis in self.bases)
        ):
            raise ValueError(
                "a punishment measure needs its legal basis, law and article (依法依规惩戒)"
            )
        return self

    @property
    def kind_label(self) -> str:
        return "惩戒" if self.kind == "punishment" else "激励"

    def basis_for(self, item: str) -> LegalBasis | None:
        """The basis that covers entries of catalog item `item`, if any."""
        return next((b for b in self.bases if not b.items or item in b.items), None)

    def applies_to(self, item: str) -> bool:
        """Incentives need no basis; a punishment needs one for the entry's item."""
        return self.kind == "incentive" or self.basis_for(item) is not None


class MeasuresFile(Sourced):
    matters: list[Matter] = Field(min_length=1)
    measures: list[Measure]
