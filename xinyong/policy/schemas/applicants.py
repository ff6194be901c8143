"""`applicants.yaml`: how applicant accounts are opened — the activation code's validity and
the documents (or the window check) a code may be issued for."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, field_validator

from xinyong.policy.schemas.common import Duration, PolicyModel, Sourced


class ActivationCodeRule(PolicyModel):
    validity: Duration  # in days: a code expires at the same moment whatever the calendar
    purposes: list[str] = Field(min_length=1)

    @field_validator("validity")
    @classmethod
    def _in_days(cls, value: Duration) -> Duration:
        if value.unit != "day" or value.amount < 1:
            raise ValueError("write the validity in days, e.g. '30 days'")
        return value

    @property
    def lifetime(self) -> timedelta:
        return timedelta(days=self.validity.amount)


class ApplicantsPolicy(Sourced):
    activation_code: ActivationCodeRule
