"""Who should be enrolled again because older models made their face template (R15): for the
subject page, which models made one person's template; for the reports, how many people hold a
template of each version. Counts only, from the store as it is; nothing is written.

A template of an older version keeps verifying with the models that made it until its person is
enrolled again (no image is kept to re-derive it, R10); one of models this station never had is
never compared, so only a new enrollment (or another way to verify) helps that person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.biometrics.model_sets import CURRENT, MODEL_SETS, model_set_of
from station.domain import Permission, TemplateModels
from station.domain.reports import TemplateVersions, VersionCount

if TYPE_CHECKING:
    from station.services.station import Station


def template_models(model_fingerprint: str) -> TemplateModels:
    """Current, older or unknown: what the fingerprint a template stores says of its models."""
    model_set = model_set_of(model_fingerprint)
    if model_set is None:
        return TemplateModels.UNKNOWN
    return TemplateModels.CURRENT if model_set is CURRENT else TemplateModels.OLDER


class Reenrollment:
    def __init__(self, station: Station) -> None:
        self._station = station

    def counts(self) -> TemplateVersions:
        """People with face data per template version, every known version listed (none: 0),
        and those whose template unknown models made."""
        station = self._station
        station.authorize(Permission.READ_REPORTS)
        by_fingerprint = station.repos.templates.count_by_model()
        versions = tuple(
            VersionCount(
                model_set.version,
                model_set.model_id,
                by_fingerprint.pop(model_set.fingerprint, 0),
                model_set is CURRENT,
            )
            for model_set in MODEL_SETS
        )
        return TemplateVersions(versions, sum(by_fingerprint.values()))  # what no version claimed
