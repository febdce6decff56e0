#!/usr/bin/env python3
"""Writes the small PDF fixtures of tests/unit/docs/pdf_test.cpp (synthetic content only).

    python3 make_fixtures.py          # two_pages.pdf, no_text_page.pdf, truncated.pdf
    python3 make_fixtures.py --qpdf   # also encrypted.pdf and owner_password.pdf (needs qpdf)

The tests read the checked-in files; they need neither Python nor qpdf.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def pdf_string(s):
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def text_ops(items):
    """items: (x, y, text) in points, Helvetica 11."""
    ops = []
    for x, y, s in items:
        ops.append("BT /F1 11 Tf %d %d Td %s Tj ET" % (x, y, pdf_string(s)))
    return "\n".join(ops)


def write_pdf(path, pages, info):
    """pages: content streams (str). info: dict of the information dictionary."""
    objects = []  # bodies, object n at index n-1

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages_obj = add(None)
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for content in pages:
        data = content.encode("latin-1")
        stream = add("<< /Length %d >>\nstream\n" % len(data) + data.decode("latin-1") + "\nendstream")
        kids.append(add("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                        "/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_obj, font, stream)))
    objects[catalog - 1] = "<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = "<< /Type /Pages /Kids [%s] /Count %d >>" % (
        " ".join("%d 0 R" % k for k in kids), len(kids))
    info_obj = add("<< " + " ".join("/%s %s" % (k, pdf_string(v)) for k, v in info.items()) + " >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += ("%d 0 obj\n" % n).encode() + body.encode("latin-1") + b"\nendobj\n"
    xref = len(out)
    out += ("xref\n0 %d\n" % (len(objects) + 1)).encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += ("%010d 00000 n \n" % off).encode()
    out += ("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, catalog, info_obj, xref)).encode()
    with open(path, "wb") as f:
        f.write(out)
    return bytes(out)


def header(y, rows):
    """An e-mail header block as Outlook prints it: labels at x=72, values at x=150."""
    items = []
    for label, value in rows:
        if label:
            items.append((72, y, label))
        if value:
            items.append((150, y, value))
        y -= 14
    return items, y


def main():
    # Two pages of text; a printed e-mail thread: a reply on page 1 that runs onto page 2,
    # then the quoted original below "-----Original Message-----".
    items, y = header(740, [
        ("From:", "Doe, Jane <jane.doe@example.org>"),
        ("Sent:", "Tuesday, June 4, 2019 3:15 PM"),
        ("To:", "Roe, Richard; records@example.gov"),
        ("Subject:", "RE: Request for doorbell camera footage near"),
        ("", "Elm Street"),
    ])
    items += [(72, y - 14, "Richard, the footage from June 1 is attached."),
              (72, y - 28, "Page one of the reply.")]
    page1 = text_ops(items)
    items = [(72, 740, "The reply goes on on page two."), (72, 712, "-----Original Message-----")]
    more, y = header(698, [
        ("From:", "Roe, Richard [mailto:rroe@example.gov]"),
        ("Sent:", "Monday, June 3, 2019 9:00 AM"),
        ("To:", "Doe, Jane"),
        ("Subject:", "Request for doorbell camera footage near Elm Street"),
    ])
    items += more + [(72, y - 14, "Could you send the footage, please?")]
    page2 = text_ops(items)
    two = write_pdf(os.path.join(HERE, "two_pages.pdf"), [page1, page2], {
        "Title": "Printed thread fixture",
        "Author": "Porchlight tests",
        "Subject": "Synthetic e-mail thread",
        "Creator": "make_fixtures.py",
        "Producer": "hand-written PDF",
        "CreationDate": "D:20190604151500-07'00'",
        "ModDate": "D:20190605120000Z",
    })

    # Page 2 is a picture of a page: a filled rectangle, no text.
    write_pdf(os.path.join(HERE, "no_text_page.pdf"), [
        text_ops([(72, 740, "Only the first page has a text layer.")]),
        "0.5 g 72 72 468 648 re f",
    ], {"Title": "Scan fixture"})

    # Cut before the page tree: poppler finds no pages in what is left.
    with open(os.path.join(HERE, "truncated.pdf"), "wb") as f:
        f.write(two[:120])

    if "--qpdf" in sys.argv:
        src = os.path.join(HERE, "two_pages.pdf")
        subprocess.run(["qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--", src,
                        os.path.join(HERE, "encrypted.pdf")], check=True)
        subprocess.run(["qpdf", "--encrypt", "", "owner-secret", "256", "--print=none", "--", src,
                        os.path.join(HERE, "owner_password.pdf")], check=True)


if __name__ == "__main__":
    main()
