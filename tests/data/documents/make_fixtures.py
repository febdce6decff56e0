#!/usr/bin/env python3
"""Writes the document fixtures of tests/unit/docs/{html,text,office,archive}_test.cpp.

Run from anywhere: python3 tests/data/documents/make_fixtures.py
The output is deterministic (fixed zip timestamps), so rerunning it changes nothing unless
this script changed. The generated files are checked in next to it.
"""

import io
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2023, 4, 5, 6, 7, 8)


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def make_zip(entries, compression=zipfile.ZIP_DEFLATED):
    """entries: list of (name, bytes|str) or (name, bytes|str, compress_type)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for e in entries:
            name, data = e[0], e[1]
            ctype = e[2] if len(e) > 2 else compression
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = ctype
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o100644 << 16
            if isinstance(data, str):
                data = data.encode("utf-8")
            z.writestr(info, data)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------
# HTML

def html_fixtures():
    write("html/report.html", """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>  Records   Release
  No. 7 </title>
  <meta name="author" content="Records Unit">
  <meta name="description" content="Responsive records for request 2023-117">
  <meta name="generator" content="Hand written">
  <style>body { font-family: serif } p::before { content: "HIDDEN-STYLE" }</style>
  <script>var hidden = "HIDDEN-SCRIPT"; if (a < b && c > d) { document.write("</p>"); }</script>
</head>
<body>
<!-- HIDDEN-COMMENT -->
<h1>Use of force policy</h1>
<p>The department&rsquo;s policy, <a href="https://example.gov/secret-url">see section 4</a>,
   applies   to all
   sworn officers.</p>
<noscript>HIDDEN-NOSCRIPT</noscript>
<template><p>HIDDEN-TEMPLATE</p></template>
<ul><li>First item</li><li>Second item</li></ul>
<p>Signed: <img src="sig.png" alt="signature of the chief"> <img src="spacer.gif" alt=""></p>
<pre>
  col1    col2
  1       2
</pre>
<p>Line one<br>Line two<br/>Line three</p>
</body>
</html>
""")

    write("html/entities.html", """<html><body>
<p>AT&amp;T &lt;b&gt; &quot;quoted&quot; &#169; &#x2014; caf&eacute; na&iuml;ve &euro;5</p>
<p>a&nbsp;b&nbsp;&nbsp;c</p>
<p>&unknown; &amp &#xZZ; 5 < 6 and 7 > 3</p>
</body></html>
""")

    write("html/tables.html", """<html><body>
<table>
  <tr><th>Name</th><th>Badge</th><th>Unit</th></tr>
  <tr><td>Smith</td><td>101</td><td>Patrol</td></tr>
  <tr><td>Jones</td><td></td><td>
      <table><tr><td>inner A</td><td>inner B</td></tr></table>
  </td></tr>
</table>
<p>After the table</p>
</body></html>
""")

    write("html/broken.html", """<html><head><title>Broken
<body><p>First paragraph <b>bold <i>bold italic</p>
<div>Unclosed div <table><tr><td>cell one<td>cell two
<p>Text after an unclosed table
</span></div></div></body></html></html>
<p>After the end""")

    # windows-1252, declared by <meta http-equiv>: e-acute, curly quotes, euro sign
    write("html/windows1252.html",
          b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
          b"<title>Caf\xe9 report</title></head><body>"
          b"<p>\x93Caf\xe9\x94 costs \x805</p></body></html>")

    write("html/hostile.html", """<html><body>
<p>&lt;script&gt;alert('x')&lt;/script&gt;</p>
<p>'; DROP TABLE documents; --</p>
<p>$(rm -rf /) `id` %s%s%n {{7*7}} ${jndi:ldap://x}</p>
<p>\u202eevil\u202c and \u0000 nul</p>
</body></html>
""".replace("\u0000", "&#0;"))


# ------------------------------------------------------------------------------------------
# text

def text_fixtures():
    write("text/plain_utf8.txt", "Records request 2023-117\r\nResponsive: yes\r\nCaf\u00e9\r\n")
    write("text/windows1252.txt", b"Caf\xe9 \x93quoted\x94\nline two\n")
    write("text/utf16le.txt", "\ufeffHello UTF-16\r\nsecond line\r\n".encode("utf-16-le"))



# ------------------------------------------------------------------------------------------
# Office

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
XL = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def content_types(main_part, main_type, extra=()):
    overrides = "".join(
        f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in [(main_part, main_type), *extra])
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'{overrides}</Types>')


def rels(*targets):
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{tg}"/>' for i, t, tg in targets)
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_RELS}">{body}</Relationships>'


def core_props(title, creator, modified_by, created, modified):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>'
            f'<cp:lastModifiedBy>{modified_by}</cp:lastModifiedBy>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified>'
            '</cp:coreProperties>')


APP_PROPS = ('<?xml version="1.0" encoding="UTF-8"?><Properties '
             'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
             '<Application>Microsoft Office Word</Application><Company>City of Smallville</Company>'
             '</Properties>')

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def para(*runs, ppr=""):
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def run(text):
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def docx_document():
    table = ("<w:tbl><w:tblPr/>"
             "<w:tr><w:tc><w:p><w:r><w:t>Name</w:t></w:r></w:p></w:tc>"
             "<w:tc><w:p><w:r><w:t>Badge</w:t></w:r></w:p></w:tc>"
             "<w:tc><w:p><w:r><w:t>Unit</w:t></w:r></w:p></w:tc></w:tr>"
             "<w:tr><w:tc><w:p><w:r><w:t>Smith</w:t></w:r></w:p><w:p><w:r><w:t>(acting)</w:t></w:r></w:p></w:tc>"
             "<w:tc><w:p/></w:tc>"
             "<w:tc><w:p><w:r><w:t>Patrol</w:t></w:r></w:p></w:tc></w:tr>"
             "</w:tbl>")
    textbox = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
               '<w:p><w:r><w:t>Text box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>'
               '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Text box</w:t></w:r></w:p>'
               '</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    body = "".join([
        para(run("Use of Force Policy"), ppr='<w:pPr><w:pStyle w:val="Heading1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'),
        para(run("Officers "), '<w:r><w:rPr><w:b/></w:rPr><w:t>shall</w:t></w:r>',
             run(" report"), '<w:r><w:tab/><w:t>every use.</w:t></w:r>'),
        para(run("Line one"), "<w:r><w:br/></w:r>", run("Line two"),
             '<w:r><w:lastRenderedPageBreak/></w:r>'),
        para('<w:del w:id="1" w:author="Editor"><w:r><w:delText>deleted words</w:delText></w:r></w:del>',
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText> HYPERLINK "http://field.example" </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
             run("link text"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
             '<w:r><w:footnoteReference w:id="1"/></w:r>'),
        table,
        para(run("Before the break"), '<w:r><w:br w:type="page"/></w:r>', run("After the break")),
        para(textbox),
        para(run("End of section one"),
             ppr='<w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr>'),
        para(run("Section two"), '<w:r><w:noBreakHyphen/><w:t>x</w:t></w:r>'),
        para(run("Still section two"),
             ppr='<w:pPr><w:sectPr><w:type w:val="continuous"/></w:sectPr></w:pPr>'),
        para(run("Caf\u00e9 \u00a7 5 \u2014 done")),
        '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr>',
    ])
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document {W} {R} {MC} mc:Ignorable="w14"><w:body>{body}</w:body></w:document>')


def docx_parts(main_type=DOCX_MAIN, extra=()):
    hdr = f'<w:hdr {W}>{para(run("CONFIDENTIAL"))}</w:hdr>'
    ftr = f'<w:ftr {W}>{para(run("Page footer"))}</w:ftr>'
    notes = (f'<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             f'<w:footnote w:id="1">{para(run("A footnote."))}</w:footnote></w:footnotes>')
    comments = f'<w:comments {W}><w:comment w:id="0" w:author="Reviewer">{para(run("Check this with legal."))}</w:comment></w:comments>'
    return [
        ("[Content_Types].xml", content_types("/word/document.xml", main_type)),
        ("_rels/.rels", rels(("rId1", OFFICE_DOC, "word/document.xml"))),
        ("docProps/core.xml", core_props("Use of Force Policy", "J. Doe", "R. Roe",
                                         "2023-01-02T03:04:05Z", "2023-02-03T04:05:06Z")),
        ("docProps/app.xml", APP_PROPS),
        ("word/document.xml", docx_document()),
        ("word/header1.xml", hdr),
        ("word/header2.xml", hdr),  # the same header twice: written once
        ("word/footer1.xml", ftr),
        ("word/footnotes.xml", notes),
        ("word/comments.xml", comments),
        ("word/media/image1.png", b"\x89PNG\r\n\x1a\n not really"),
        *extra,
    ]


XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def xlsx_parts():
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {XL} {R}><sheets>'
                '<sheet name="Stops 2023" sheetId="1" r:id="rId1"/>'
                '<sheet name="Notes" sheetId="2" state="hidden" r:id="rId2"/>'
                '</sheets></workbook>')
    wb_rels = rels(("rId1", WS, "worksheets/sheet1.xml"), ("rId2", WS, "/xl/worksheets/sheet2.xml"),
                   ("rId3", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings",
                    "sharedStrings.xml"))
    shared = (f'<?xml version="1.0" encoding="UTF-8"?><sst {XL} count="5" uniqueCount="5">'
              '<si><t>Date</t></si><si><t>Officer</t></si><si><t>Outcome</t></si>'
              '<si><r><t>Sm</t></r><r><rPr><b/></rPr><t>ith</t></r><rPh><t>PHONETIC</t></rPh></si>'
              '<si><t xml:space="preserve">Line\nbreak\tand tab</t></si>'
              '</sst>')
    sheet1 = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {XL}><sheetData>'
              '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
              '<row r="2"><c r="A2"><v>44927</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="inlineStr"><is><t>Warning</t></is></c></row>'
              '<row r="3"><c r="A3"><v>3.25</v></c><c r="C3" t="b"><v>1</v></c><c r="E3" t="str"><f>A3*2</f><v>6.5</v></c></row>'
              '<row r="5"><c r="B5" t="s"><v>4</v></c><c r="C5" t="s"><v>999</v></c><c r="D5" t="e"><v>#DIV/0!</v></c></row>'
              '<row r="6"><c r="A6" s="1"/><c r="B6" t="s"><v>1</v></c></row>'
              '</sheetData></worksheet>')
    sheet2 = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {XL}><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>hidden sheet text</t></is></c></row>'
              '</sheetData></worksheet>')
    return [
        ("[Content_Types].xml", content_types("/xl/workbook.xml", XLSX_MAIN)),
        ("_rels/.rels", rels(("rId1", OFFICE_DOC, "xl/workbook.xml"))),
        ("docProps/core.xml", core_props("Stop data", "Analyst", "Analyst",
                                         "2023-03-01T00:00:00Z", "2023-03-02T00:00:00Z")),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", wb_rels),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet1),
        ("xl/worksheets/sheet2.xml", sheet2),
    ]


PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
SLIDE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"
NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide"


def shape(*paragraphs):
    ps = "".join("<a:p>" + "".join(f"<a:r><a:t>{t}</a:t></a:r>" for t in p) + "</a:p>"
                 for p in paragraphs)
    return f"<p:sp><p:txBody><a:bodyPr/>{ps}</p:txBody></p:sp>"


def slide(*shapes):
    return (f'<?xml version="1.0" encoding="UTF-8"?><p:sld {A} {P} {R}><p:cSld><p:spTree>'
            f'{"".join(shapes)}</p:spTree></p:cSld></p:sld>')


def pptx_parts():
    presentation = (f'<?xml version="1.0" encoding="UTF-8"?><p:presentation {A} {P} {R}>'
                    '<p:sldIdLst><p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId2"/>'
                    '<p:sldId id="258" r:id="rId4"/></p:sldIdLst></p:presentation>')
    pres_rels = rels(("rId2", SLIDE, "slides/slide1.xml"), ("rId3", SLIDE, "slides/slide2.xml"),
                     ("rId4", SLIDE, "slides/slide10.xml"))
    table = ('<p:graphicFrame><a:graphic><a:graphicData><a:tbl>'
             '<a:tr><a:tc><a:txBody><a:p><a:r><a:t>Q1</a:t></a:r></a:p></a:txBody></a:tc>'
             '<a:tc><a:txBody><a:p><a:r><a:t>12</a:t></a:r></a:p></a:txBody></a:tc></a:tr>'
             '<a:tr><a:tc><a:txBody><a:p><a:r><a:t>Q2</a:t></a:r></a:p></a:txBody></a:tc>'
             '<a:tc><a:txBody><a:p><a:r><a:t>15</a:t></a:r></a:p></a:txBody></a:tc></a:tr>'
             '</a:tbl></a:graphicData></a:graphic></p:graphicFrame>')
    notes = (f'<?xml version="1.0" encoding="UTF-8"?><p:notes {A} {P}><p:cSld><p:spTree>'
             + shape(["Do not share these numbers."])
             + '<p:sp><p:txBody><a:p><a:fld id="{1}" type="slidenum"><a:t>2</a:t></a:fld></a:p></p:txBody></p:sp>'
             '</p:spTree></p:cSld></p:notes>')
    return [
        ("[Content_Types].xml", content_types("/ppt/presentation.xml", PPTX_MAIN)),
        ("_rels/.rels", rels(("rId1", OFFICE_DOC, "ppt/presentation.xml"))),
        ("docProps/core.xml", core_props("Quarterly briefing", "Chief", "Chief",
                                         "2023-04-01T00:00:00Z", "2023-04-02T00:00:00Z")),
        ("ppt/presentation.xml", presentation),
        ("ppt/_rels/presentation.xml.rels", pres_rels),
        ("ppt/slides/slide1.xml", slide(shape(["Second slide"], ["Bullet ", "one"]), table)),
        ("ppt/slides/_rels/slide1.xml.rels", rels(("rId1", NOTES, "../notesSlides/notesSlide1.xml"))),
        ("ppt/notesSlides/notesSlide1.xml", notes),
        ("ppt/slides/slide2.xml", slide(shape(["Quarterly briefing"], ["Shown first"]))),
        ("ppt/slides/slide10.xml", slide(shape(["Last slide"]))),
    ]


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')


def odf_meta(title):
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NS} office:version="1.3">'
            f'<office:meta><dc:title>{title}</dc:title><meta:initial-creator>Clerk</meta:initial-creator>'
            '<dc:creator>Deputy Clerk</dc:creator><meta:creation-date>2023-05-06T07:08:09.123</meta:creation-date>'
            '<dc:date>2023-05-07T00:00:00</dc:date><meta:generator>LibreOffice/7.4</meta:generator>'
            '<meta:keyword>minutes</meta:keyword><meta:keyword>council</meta:keyword>'
            '</office:meta></office:document-meta>')


def odf_parts(mime, content, title, manifest_extra=""):
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
                f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}</manifest:file-entry>'
                '</manifest:manifest>')
    return [
        ("mimetype", mime, zipfile.ZIP_STORED),
        ("content.xml", content),
        ("meta.xml", odf_meta(title)),
        ("META-INF/manifest.xml", manifest),
    ]


def odt_content():
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
            '<office:automatic-styles>'
            '<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>'
            '</office:automatic-styles><office:body><office:text>'
            '<text:sequence-decls><text:sequence-decl text:name="Figure"/></text:sequence-decls>'
            '<text:h text:outline-level="1">Council   minutes</text:h>\n'
            '<text:p>Present:<text:tab/>Mayor, <text:span>Clerk</text:span>'
            '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
            '<text:note-body><text:p>Clerk arrived late.</text:p></text:note-body></text:note>'
            ' and<text:s text:c="3"/>others.</text:p>\n'
            '<text:p>First line<text:line-break/>second line</text:p>'
            '<table:table table:name="Votes"><table:table-column table:number-columns-repeated="3"/>'
            '<table:table-row><table:table-cell><text:p>Motion</text:p></table:table-cell>'
            '<table:table-cell><text:p>Yes</text:p></table:table-cell>'
            '<table:table-cell><text:p>No</text:p></table:table-cell></table:table-row>'
            '<table:table-row><table:table-cell><text:p>Budget</text:p><text:p>2023</text:p></table:table-cell>'
            '<table:table-cell><text:p>5</text:p></table:table-cell>'
            '<table:table-cell><text:p>2</text:p></table:table-cell></table:table-row>'
            '</table:table>'
            '<text:p><office:annotation><dc:creator>Clerk</dc:creator><text:p>Verify the count.</text:p></office:annotation>After the table</text:p>'
            '<text:p text:style-name="P1">New page</text:p>'
            '</office:text></office:body></office:document-content>')


def ods_content():
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
            '<office:body><office:spreadsheet>'
            '<table:table table:name="Overtime">'
            '<table:table-column table:number-columns-repeated="16384"/>'
            '<table:table-row><table:table-cell><text:p>Name</text:p></table:table-cell>'
            '<table:table-cell table:number-columns-repeated="2"/>'
            '<table:table-cell><text:p>Hours</text:p></table:table-cell>'
            '<table:table-cell table:number-columns-repeated="16380"/></table:table-row>'
            '<table:table-row table:number-rows-repeated="2"><table:table-cell><text:p>Same</text:p></table:table-cell>'
            '<table:table-cell table:number-columns-repeated="2"><text:p>x</text:p></table:table-cell></table:table-row>'
            '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
            '</table:table>'
            '<table:table table:name="Second">'
            '<table:table-row><table:table-cell office:value-type="float" office:value="12.5"><text:p>12.50</text:p></table:table-cell></table:table-row>'
            '</table:table>'
            '</office:spreadsheet></office:body></office:document-content>')


def odp_content():
    def frame(*paras):
        ps = "".join(f"<text:p>{p}</text:p>" for p in paras)
        return f"<draw:frame><draw:text-box>{ps}</draw:text-box></draw:frame>"
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
            '<office:body><office:presentation>'
            f'<draw:page draw:name="page1">{frame("Budget hearing", "March 2023")}'
            f'<presentation:notes><draw:page-thumbnail draw:page-number="1"/>{frame("Speaker notes here")}</presentation:notes></draw:page>'
            f'<draw:page draw:name="page2">{frame("Questions?")}</draw:page>'
            '</office:presentation></office:body></office:document-content>')


def deep_docx():
    depth = 100000
    body = "<w:sdt><w:sdtContent>" * depth + para(run("deep text")) + "</w:sdtContent></w:sdt>" * depth
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{para(run("top"))}{body}</w:body></w:document>'
    return [
        ("[Content_Types].xml", content_types("/word/document.xml", DOCX_MAIN)),
        ("word/document.xml", doc),
    ]


def office_fixtures():
    write("office/report.docx", make_zip(docx_parts()))
    write("office/macros.docm", make_zip(docx_parts(
        DOCM_MAIN, [("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 not a real VBA project")])))
    write("office/budget.xlsx", make_zip(xlsx_parts()))
    write("office/briefing.pptx", make_zip(pptx_parts()))
    write("office/minutes.odt", make_zip(odf_parts("application/vnd.oasis.opendocument.text",
                                                   odt_content(), "Council minutes")))
    write("office/overtime.ods", make_zip(odf_parts("application/vnd.oasis.opendocument.spreadsheet",
                                                    ods_content(), "Overtime")))
    write("office/hearing.odp", make_zip(odf_parts("application/vnd.oasis.opendocument.presentation",
                                                   odp_content(), "Budget hearing")))
    write("office/protected.odt", make_zip(odf_parts(
        "application/vnd.oasis.opendocument.text", "\x00garbage", "Secret",
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>')))
    write("office/malformed.docx", make_zip([
        ("[Content_Types].xml", content_types("/word/document.xml", DOCX_MAIN)),
        ("word/document.xml", f"<w:document {W}><w:body><w:p><w:r><w:t>unclosed"),
    ]))
    write("office/no_main_part.docx", make_zip([
        ("[Content_Types].xml", content_types("/word/document.xml", DOCX_MAIN)),
        ("docProps/core.xml", core_props("x", "y", "z", "2023", "2023")),
    ]))
    write("office/deep.docx", make_zip(deep_docx()))

# ------------------------------------------------------------------------------------------
# zip

def patch_name(data, placeholder, raw):
    """Replaces an entry name in both headers by raw bytes of the same length (a name without
    the UTF-8 flag, which zipfile cannot write)."""
    assert len(placeholder) == len(raw) and data.count(placeholder) == 2
    return data.replace(placeholder, raw)


def set_encrypted(data, name):
    """Sets the 'encrypted' flag of an entry in its local and central headers (zipfile cannot
    write encrypted entries; the reader must skip such an entry without reading it)."""
    data = bytearray(data)
    local = data.find(name)
    central = data.find(name, local + 1)
    data[local - 30 + 6] |= 1
    data[central - 46 + 8] |= 1
    return bytes(data)


def corrupt_data(data, name, count=16):
    """Flips bytes in the compressed data of one entry: the central directory stays good."""
    data = bytearray(data)
    local = data.find(name)
    start = local + len(name)  # no extra field from zipfile
    for i in range(start + 2, start + 2 + count):
        data[i] ^= 0x5A
    return bytes(data)


def symlink_entry(name, target):
    info = zipfile.ZipInfo(name, STAMP)
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info, target


def zip_fixtures():
    nested = make_zip([("inner/readme.txt", "inside the nested zip\n"),
                       ("inner/data.csv", "a,b\n1,2\n")])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        def add(name, data, ctype=zipfile.ZIP_DEFLATED):
            info = zipfile.ZipInfo(name, STAMP)
            info.create_system = 3
            info.compress_type = ctype
            info.external_attr = ((0o40755 << 16) | 0x10) if name.endswith("/") else (0o100644 << 16)
            z.writestr(info, data)
        add("Release 2023-117/", b"")
        add("Release 2023-117/response letter.pdf", "%PDF-1.4 not really a PDF, text in a .pdf name\n")
        add("Release 2023-117/emails/re budget.eml",
            "From: Clerk <clerk@example.gov>\r\nTo: mayor@example.gov\r\nSubject: Re: budget\r\n"
            "Date: Mon, 6 Mar 2023 10:00:00 -0500\r\n\r\nSee attached.\r\n")
        add("Release 2023-117/nested/deeper/notes.txt", "deep notes\n", zipfile.ZIP_STORED)
        add("Release 2023-117/attachments.zip", nested, zipfile.ZIP_STORED)
        add("Release 2023-117/caf\u00e9 men\u00fc.txt", "UTF-8 flagged name\n")
        add("Release 2023-117/rXsumX.txt", "CP437 name\n")
        add("Release 2023-117/.DS_Store", b"\0\0\0\1Bud1")
        add("__MACOSX/Release 2023-117/._response letter.pdf", b"\0\5\26\7 resource fork")
        add("Release 2023-117/secret.txt", "encrypted entry\n", zipfile.ZIP_STORED)
        info, target = symlink_entry("Release 2023-117/link-to-passwd", "/etc/passwd")
        z.writestr(info, target)
        add("Release 2023-117/empty.txt", b"")
    data = buf.getvalue()
    data = patch_name(data, b"Release 2023-117/rXsumX.txt", b"Release 2023-117/r\x82sum\x82.txt")
    data = set_encrypted(data, b"Release 2023-117/secret.txt")
    write("zip/release.zip", data)

    write("zip/traversal.zip", make_zip([
        ("../../etc/passwd", "root:x:0:0\n"),
        ("/abs/path.txt", "absolute\n"),
        ("C:\\Windows\\evil.txt", "drive letter\n"),
        ("ok/../../up.txt", "dot dot in the middle\n"),
        ("dir\\sub\\back.txt", "backslashes\n"),
        ("./plain/./file.txt", "harmless dots\n"),
    ]))

    # 10 MiB of zeros deflate to about 10 KiB: a ratio of about 1000
    write("zip/bomb.zip", make_zip([("readme.txt", "hello\n"), ("zeros.bin", b"\0" * (10 << 20))]))

    # the same, with headers that claim 1000 bytes: only counting what comes out catches it
    lying = bytearray(make_zip([("zeros.bin", b"\0" * (10 << 20))]))
    local = lying.find(b"zeros.bin") - 30
    central = lying.find(b"zeros.bin", local + 40) - 46
    struct.pack_into("<I", lying, local + 22, 1000)
    struct.pack_into("<I", lying, central + 24, 1000)
    write("zip/bomb_lying_header.zip", bytes(lying))

    write("zip/many.zip", make_zip([(f"file{i:03}.txt", f"file {i}\n") for i in range(60)]))

    good = make_zip([("first.txt", "first entry\n"), ("second.txt", "second entry " * 200),
                     ("third.txt", "third entry\n")])
    write("zip/corrupt_entry.zip", corrupt_data(good, b"second.txt"))
    write("zip/truncated.zip", good[: len(good) // 2])
    write("zip/empty.zip", make_zip([]))
    write("zip/not_a_zip.zip", "PK but not a zip at all, just text\n")


def main():
    html_fixtures()
    text_fixtures()
    office_fixtures()
    zip_fixtures()


if __name__ == "__main__":
    main()
