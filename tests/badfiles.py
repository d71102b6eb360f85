"""Broken and hostile inputs, made by the tests themselves (nothing downloaded, nothing copied)."""

from pathlib import Path

from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas


def _encrypted(path: Path, user_password: str) -> Path:
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption(user_password, ownerPassword="owner"))
    c.drawString(72, 720, "The Harbour Authority of Veldoria approved a budget of $5 million in March 2024.")
    c.showPage()
    c.save()
    return path


def make_bad_files(folder: Path, good_pdf: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, words the error must contain)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = good_pdf.read_bytes()
    files = {
        "not_pdf": (folder / "notes.pdf", "not a PDF"),
        "empty": (folder / "empty.pdf", "empty file"),
        "truncated": (folder / "truncated.pdf", "corrupt or truncated"),
        "corrupt": (folder / "corrupt.pdf", "corrupt or truncated"),
        "password": (folder / "locked.pdf", "needs a password"),
        "scanned": (folder / "scanned.pdf", "no text layer"),
    }
    files["not_pdf"][0].write_text("Minutes of the Veldoria board meeting, typed as plain text.")
    files["empty"][0].write_bytes(b"")
    files["truncated"][0].write_bytes(data[: len(data) // 3])
    files["corrupt"][0].write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 16)
    _encrypted(files["password"][0], "secret")
    c = canvas.Canvas(str(files["scanned"][0]))
    c.rect(72, 72, 300, 400, fill=1)
    c.showPage()
    c.save()
    return files


def make_empty_password_pdf(path: Path) -> Path:
    return _encrypted(path, "")
