"""What a person takes away from the desk: a receipt, printed through the system's print dialog and
ending with an audit trail record (issue 14), an anchor an auditor can later verify the trail
against. The subject page's receipt and the erasure receipt (issue 15) are printed the same way."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from station.domain import AuditHead

# (parent) -> the printer the operator chose, or None when they cancelled.
PrinterChoice = Callable[[QWidget], QPrinter | None]


def ask_printer(parent: QWidget) -> QPrinter | None:
    printer = QPrinter()
    return printer if QPrintDialog(printer, parent).exec() else None


def print_html(parent: QWidget, html: str, choose_printer: PrinterChoice) -> None:
    """Print `html` on the printer the operator chooses; nothing when they cancel."""
    printer = choose_printer(parent)
    if printer is None:
        return
    document = QTextDocument()
    document.setHtml(html)
    document.print_(printer)


def audit_record_html(head: AuditHead) -> str:
    """The trail's head as a receipt carries it: the code to type by hand, and the full form for
    `audit verify --against`."""
    label = QCoreApplication.translate("receipts", "Audit trail record: {0}").format(head.code)
    return f"<p>{label}<br><small>{head.field}</small></p>"
