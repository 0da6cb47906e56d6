"""What the processing record says about accuracy (R17, R22): the operating point in force and,
for every template version, the threshold it means and what the shipped calibration table
measured there, with the data, the method and the date. The figures are read from the table the
station decides with (station/biometrics/calibration.py), never typed here."""

from __future__ import annotations

from station.biometrics.calibration import CalibrationTable, OperatingPoint, SetCalibration
from station.biometrics.model_sets import CURRENT
from station.domain.reports import ReportItem


def accuracy_items(operating_point: str, table: CalibrationTable) -> tuple[ReportItem, ...]:
    target = table.sets[CURRENT.version].points[operating_point].target_fmr
    return (
        ReportItem(
            "Operating point",
            f"{operating_point}: at most one false match in {round(1 / target):,} comparisons "
            "with another person's template (R22); chosen by the site, the threshold follows "
            "from the version of each template",
        ),
        *(
            ReportItem(
                f"Template version {version} ({' + '.join(calibration.model_set.parts)})",
                _version_figures(calibration, calibration.points[operating_point]),
            )
            for version, calibration in sorted(table.sets.items())
        ),
        ReportItem("Calibration data", table.data),
        ReportItem("Calibration method", table.method),
        ReportItem("Calibrated on", table.measured_on),
    )


def _version_figures(calibration: SetCalibration, point: OperatingPoint) -> str:
    model_set = calibration.model_set
    made = (
        "new enrollments make this version"
        if model_set == CURRENT
        else "its templates keep working until their person is enrolled again"
    )
    figures = (
        f"Models {model_set.model_id}; {made}. Threshold {point.threshold:g} on the match score "
        "(in standard deviations of impostor distances, fused over the parts; not a distance): measured FMR "
        f"{_rate(point.fmr)} and FNMR {point.fnmr * 100:.1f} % over "
        f"{calibration.genuine_pairs:,} genuine and {calibration.impostor_pairs:,} impostor pairs."
    )
    if point.reliable:
        return figures
    return (
        f"{figures} Too few impostor pairs for an FMR of {point.name} to be measured: the "
        "false-match rate at this point is not established."
    )


def _rate(value: float) -> str:
    """1e-4 as 1.0e-4, the way the rules write rates (not Python's 1.0e-04)."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"
