/*
 * unit_mime.c: the text and the attachments of whole mails (mime.c),
 * and HTML bodies made text (html.c).
 *
 * Every parse goes through parse(), which checks what must hold of any
 * result whatever the input: the text valid UTF-8 with LF line ends,
 * no control characters but tab and newline, exactly one newline at
 * the end, and attachments numbered 1, 2, ... that tkt_mime_part gives
 * back with the size announced.
 */

#include <check.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bin/tkt.h"

static void
sane_text(const struct tkt_mime *m)
{
	size_t i;
	unsigned char c;

	ck_assert_ptr_nonnull(m->text);
	ck_assert_uint_eq(strlen(m->text), m->textlen);
	ck_assert(tkt_utf8_valid(m->text, m->textlen));
	for (i = 0; i < m->textlen; i++) {
		c = m->text[i];
		ck_assert_msg(c >= 0x20 || c == '\t' || c == '\n',
		    "control %02x at %zu", c, i);
		ck_assert_msg(c != 0x7f, "DEL at %zu", i);
	}
	if (m->textlen > 0) {
		ck_assert_int_eq(m->text[m->textlen - 1], '\n');
		ck_assert(m->textlen == 1 || m->text[m->textlen - 2] != '\n');
	}
}

static void
sane_parts(const char *msg, size_t len, const struct tkt_mime *m)
{
	struct tkt_buf b = { 0 };
	const char *t;
	size_t i;

	for (i = 0; i < m->npart; i++) {
		ck_assert_int_eq(m->part[i].n, (int)i + 1);
		ck_assert_ptr_nonnull(t = m->part[i].type);
		for (; *t != '\0'; t++)
			ck_assert_msg(*t < 'A' || *t > 'Z', "%s",
			    m->part[i].type);
		if (m->part[i].name != NULL)
			ck_assert(tkt_utf8_valid(m->part[i].name,
			    strlen(m->part[i].name)));
		b.len = 0;
		ck_assert_int_eq(tkt_mime_part(msg, len, (int)i + 1, &b), 0);
		ck_assert_uint_eq(b.len, m->part[i].size);
	}
	ck_assert_int_eq(tkt_mime_part(msg, len, (int)m->npart + 1, &b), -1);
	ck_assert_int_eq(tkt_mime_part(msg, len, 0, &b), -1);
	tkt_buf_free(&b);
}

static void
parsen(const char *msg, size_t len, struct tkt_mime *m)
{
	ck_assert_int_eq(tkt_mime_parse(msg, len, m), 0);
	sane_text(m);
	sane_parts(msg, len, m);
}

static void
parse(const char *msg, struct tkt_mime *m)
{
	parsen(msg, strlen(msg), m);
}

/* The text of msg must be want, and there must be no attachment. */
static void
textis(const char *msg, const char *want)
{
	struct tkt_mime m;

	parse(msg, &m);
	ck_assert_str_eq(m.text, want);
	ck_assert_uint_eq(m.npart, 0);
	tkt_mime_free(&m);
}

static void
partis(const struct tkt_mime *m, int n, const char *type,
    const char *name, size_t size)
{
	const struct tkt_part *p;

	ck_assert_uint_ge(m->npart, n);
	p = &m->part[n - 1];
	ck_assert_int_eq(p->n, n);
	ck_assert_str_eq(p->type, type);
	if (name == NULL)
		ck_assert_ptr_null(p->name);
	else {
		ck_assert_ptr_nonnull(p->name);
		ck_assert_str_eq(p->name, name);
	}
	ck_assert_uint_eq(p->size, size);
}

/* Attachment n of msg must be the len bytes at want. */
static void
bytesare(const char *msg, int n, const char *want, size_t len)
{
	struct tkt_buf b = { 0 };

	ck_assert_int_eq(tkt_mime_part(msg, strlen(msg), n, &b), 0);
	ck_assert_uint_eq(b.len, len);
	ck_assert(memcmp(b.s, want, len) == 0);
	tkt_buf_free(&b);
}

/* msg with each LF made CRLF, or every other one when mixed. */
static char *
crlf(const char *msg, int mixed)
{
	struct tkt_buf b = { 0 };
	int k;

	tkt_buf_add(&b, "", 0);
	for (k = 0; *msg != '\0'; msg++) {
		if (*msg == '\n' && (!mixed || k++ % 2 == 0))
			tkt_buf_add(&b, "\r", 1);
		tkt_buf_add(&b, msg, 1);
	}
	return b.s;
}

static int
have_charset(const char *cs)
{
	iconv_t cd;

	if ((cd = iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}

START_TEST(plain_7bit)
{
	textis("From: a@example.org\nSubject: printer\n\n"
	    "The printer on the 3rd floor jams.\n\nRegards,\nAnn\n",
	    "The printer on the 3rd floor jams.\n\nRegards,\nAnn\n");
	textis("Subject: x\nContent-Type: text/plain\n"
	    "Content-Transfer-Encoding: 7bit\n\n\n\n  indented\n\n\n",
	    "  indented\n");
	textis("Subject: x\n\nno final newline", "no final newline\n");
}
END_TEST

START_TEST(quoted_printable)
{
	textis("Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Caf=C3=A9 au =\nlait, =E2=82=AC 5 =3D five=20\n"
	    "soft break with blanks after it= \t\nends here=\n",
	    "Caf\xc3\xa9 au lait, \xe2\x82\xac 5 = five \n"
	    "soft break with blanks after itends here\n");
	textis("Content-Transfer-Encoding: Quoted-Printable\n\n"
	    "lower =c3=a9, bad =ZZ, =4 and =\n",
	    "lower \xc3\xa9, bad =ZZ, =4 and\n");
}
END_TEST

START_TEST(base64_utf8)
{
	textis("Content-Type: text/plain; charset=\"utf-8\"\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "Q2Fmw6kgb3V2ZXJ0\nLCA1IOKCrAo=\n",
	    "Caf\xc3\xa9 ouvert, 5 \xe2\x82\xac\n");
	/* No padding, and characters from outside the alphabet. */
	textis("Content-Transfer-Encoding: BASE64\n\nQ2F!mw6k*\n",
	    "Caf\xc3\xa9\n");
}
END_TEST

START_TEST(latin1_and_1252)
{
	textis("Content-Type: text/plain; charset=iso-8859-1\n\n"
	    "caf\xe9 \xa3" "5\n", "caf\xc3\xa9 \xc2\xa3" "5\n");
	textis("Content-Type: text/plain; charset=windows-1252\n\n"
	    "\x80 5, \x93quoted\x94\n",
	    "\xe2\x82\xac 5, \xe2\x80\x9cquoted\xe2\x80\x9d\n");
	/* Labelled Latin-1 or ASCII, but written in windows-1252. */
	textis("Content-Type: text/plain; charset=ISO-8859-1\n\n"
	    "\x80 5 caf\xe9\n", "\xe2\x82\xac 5 caf\xc3\xa9\n");
	textis("Content-Type: text/plain; charset=us-ascii\n\n"
	    "\x93quoted\x94\n", "\xe2\x80\x9cquoted\xe2\x80\x9d\n");
	textis("Content-Type: text/plain; charset=us-ascii\n\n"
	    "caf\xc3\xa9\n", "caf\xc3\xa9\n");
}
END_TEST

START_TEST(iconv_charsets)
{
	if (have_charset("KOI8-R"))
		textis("Content-Type: text/plain; charset=koi8-r\n\n"
		    "\xf0\xd2\xc9\xd7\xc5\xd4\n",
		    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\n");
	if (have_charset("SHIFT_JIS"))
		textis("Content-Type: text/plain; charset=Shift_JIS\n"
		    "Content-Transfer-Encoding: 8bit\n\n"
		    "\x93\xfa\x96{\x8c\xea\n",
		    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\n");
}
END_TEST

/* No charset, or one iconv does not know: UTF-8 if valid, else Latin-1. */
START_TEST(charset_fallback)
{
	textis("Subject: x\n\ncaf\xc3\xa9\n", "caf\xc3\xa9\n");
	textis("Subject: x\n\ncaf\xe9\n", "caf\xc3\xa9\n");
	textis("Content-Type: text/plain; charset=x-no-such\n\ncaf\xe9\n",
	    "caf\xc3\xa9\n");
	textis("Content-Type: text/plain; charset=x-no-such\n\n"
	    "caf\xc3\xa9\n", "caf\xc3\xa9\n");
}
END_TEST

static const char alternative[] =
    "Subject: both\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/alternative; boundary=\"=_alt 1\"\n"
    "\n"
    "This is a multi-part message in MIME format.\n"
    "--=_alt 1\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<p>HTML version</p>\n"
    "--=_alt 1\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Plain version, caf=C3=A9\n"
    "--=_alt 1--\n"
    "epilogue\n";

START_TEST(alternative_plain)
{
	textis(alternative, "Plain version, caf\xc3\xa9\n");
}
END_TEST

static const char html[] =
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<!DOCTYPE html><html><head><title>Ignored title</title>\n"
    "<style>p { color: red; }</style></head>\n"
    "<body><script type=\"text/javascript\">if (a < b) alert(1);"
    "</script>\n"
    "<h1>Printer   down</h1>\n"
    "<p>Tom &amp; Jerry say &lt;hi&gt; &quot;caf&eacute;&quot; "
    "&#233;&#x20AC; &euro;&hellip;&nbsp;&nbsp;ok &bogus; &amp</p>\n"
    "<ul><li>first</li>\n<li>second</li></ul>\n"
    "line one<br>line two<br/><br><br><br>after<!-- a comment -->\n"
    "<p>See <a href=\"https://example.org/kb?a=1&amp;b=2\">the KB</a>"
    " or <a href='https://example.org/'>https://example.org/</a>"
    " or <a href=\"mailto:help@example.org\">help@example.org</a>.</p>"
    "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
    "</body></html>\n";

START_TEST(html_only)
{
	textis(html,
	    "Printer down\n"
	    "\n"
	    "Tom & Jerry say <hi> \"caf\xc3\xa9\" \xc3\xa9\xe2\x82\xac "
	    "\xe2\x82\xac\xe2\x80\xa6 ok &bogus; &\n"
	    "\n"
	    "- first\n"
	    "- second\n"
	    "\n"
	    "line one\n"
	    "line two\n"
	    "\n"
	    "after\n"
	    "\n"
	    "See the KB <https://example.org/kb?a=1&b=2> or "
	    "https://example.org/ or help@example.org.\n"
	    "\n"
	    "a b\n"
	    "c\n");
}
END_TEST

/* Input that ends inside markup ends the text; nothing worse. */
START_TEST(html_unterminated)
{
	textis("Content-Type: text/html\n\n<p>before</p><!-- never closed",
	    "before\n");
	textis("Content-Type: text/html\n\n<p>kept<a href=\"x", "kept\n");
	textis("Content-Type: text/html\n\nup to<script>lost", "up to\n");
	textis("Content-Type: text/html\n\na < b & c <3\n", "a < b & c <3\n");
	textis("Content-Type: text/html\n\n?a=1&copy=2 &amp x &ampy",
	    "?a=1&copy=2 & x &ampy\n");
	textis("Content-Type: text/html\n\n&#0;&#xD800;&#99999999;&#x",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd&#x\n");
	/* A head that never ends keeps its text after all. */
	textis("Content-Type: text/html\n\n<head><title>t</title>Hello",
	    "Hello\n");
	textis("Content-Type: text/html\n\n<pre>  a  b\n\n\n\nc</pre>d",
	    "  a  b\n\nc\n\nd\n");
}
END_TEST

/* A PDF of 18 bytes, some of them NUL and 0xff. */
static const char pdfbytes[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n\0\1\xff";

static const char mixed[] =
    "From: a@example.org\n"
    "Content-Type: multipart/mixed;\n"
    "\tboundary=\"----=_Part_1\"\n"
    "\n"
    "------=_Part_1\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "Please see the attached report.\n"
    "\n"
    "------=_Part_1\n"
    "Content-Type: application/PDF; name=\"ignored.pdf\"\n"
    "Content-Transfer-Encoding: base64\n"
    "Content-Disposition: attachment; filename=\"report.pdf\"\n"
    "\n"
    "JVBERi0xLjQKJeLj\n"
    "z9MKAAH/\n"
    "------=_Part_1\n"
    "Content-Type: text/plain\n"
    "\n"
    "A second text part.\n"
    "------=_Part_1--\n";

START_TEST(mixed_with_pdf)
{
	struct tkt_mime m;

	parse(mixed, &m);
	ck_assert_str_eq(m.text, "Please see the attached report.\n\n"
	    "A second text part.\n");
	ck_assert_uint_eq(m.npart, 1);
	partis(&m, 1, "application/pdf", "report.pdf", 18);
	tkt_mime_free(&m);
	bytesare(mixed, 1, pdfbytes, 18);
	ck_assert_ptr_null(m.text);
	ck_assert_uint_eq(m.npart, 0);
}
END_TEST

/* A file name from the parameters: RFC 2231, RFC 2047, quoting. */
static void
nameis(const char *fields, const char *want)
{
	struct tkt_buf msg = { 0 };
	struct tkt_mime m;

	tkt_buf_str(&msg, fields);
	tkt_buf_str(&msg, "\n\nbody\n");
	parse(msg.s, &m);
	ck_assert_uint_eq(m.npart, 1);
	ck_assert_str_eq(m.text, "");
	partis(&m, 1, "application/octet-stream", want, 5);
	tkt_mime_free(&m);
	tkt_buf_free(&msg);
}

START_TEST(rfc2231_names)
{
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment;\n"
	    " filename*0*=UTF-8''caf%C3%A9%20;\n"
	    " filename*1*=%E2%82%AC;\n"
	    " filename*2=\".txt\"", "caf\xc3\xa9 \xe2\x82\xac.txt");
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename*=UTF-8''caf%C3%A9.txt",
	    "caf\xc3\xa9.txt");
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment;"
	    " filename*=iso-8859-1'fr'caf%E9.txt", "caf\xc3\xa9.txt");
	/* Out of order; and the RFC 2231 form beats the plain one. */
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename*1=\"b.txt\";"
	    " filename*0=a", "ab.txt");
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename=\"fallback.txt\";"
	    " filename*=UTF-8''real.txt", "real.txt");
}
END_TEST

START_TEST(other_names)
{
	nameis("Content-Type: application/octet-stream;\n"
	    " name=\"=?UTF-8?B?Y2Fmw6kucGRm?=\"", "caf\xc3\xa9.pdf");
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment (a comment);\n"
	    "  filename=\"a \\\"b\\\".txt\" (another)", "a \"b\".txt");
	nameis("Content-Type: application/octet-stream; name=plain.bin",
	    "plain.bin");
	nameis("Content-Type: application/octet-stream; name=my file.bin",
	    "my file.bin");
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename=\"../../etc/passwd\"",
	    "passwd");
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment;"
	    " filename=\"C:\\\\Users\\\\ann\\\\x.doc\"", "x.doc");
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename=\"a\x01\x1b[0m.txt\"",
	    "a[0m.txt");
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename=\"..\"", NULL);
	nameis("Content-Type: application/octet-stream\n"
	    "Content-Disposition: attachment", NULL);
}
END_TEST

static const char nested[] =
    "Subject: nested\n"
    "Content-Type: multipart/mixed; boundary=m\n"
    "\n"
    "--m\n"
    "Content-Type: multipart/alternative; boundary=a\n"
    "\n"
    "--a\n"
    "Content-Type: text/plain\n"
    "\n"
    "Plain body\n"
    "--a\n"
    "Content-Type: multipart/related; boundary=r\n"
    "\n"
    "--r\n"
    "Content-Type: text/html\n"
    "\n"
    "<p>HTML body <img src=\"cid:logo\"></p>\n"
    "--r\n"
    "Content-Type: image/png; name=logo.png\n"
    "Content-ID: <logo>\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "iVBORw0KGgo=\n"
    "--r--\n"
    "--a--\n"
    "--m\n"
    "Content-Type: application/pdf; name=\"report.pdf\"\n"
    "Content-Disposition: attachment\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "JVBERi0=\n"
    "--m--\n";

/*
 * The size of an attachment in base64 is counted, not decoded: digits
 * left over, padding, line ends and bytes outside the alphabet.
 */
static const struct {
	const char *body;
	size_t	 size;
} b64case[] = {
	{ "", 0 }, { "Q", 0 }, { "QQ", 1 }, { "QUI", 2 }, { "QUJD", 3 },
	{ "QUJDRA==", 4 }, { "QU\r\nJD\r\nRA", 4 }, { "QUJD\n!!==\nRA", 4 },
	{ "=QU JD*RA\x80\xff\n", 4 }, { "////++++", 6 }
};

START_TEST(base64_sizes)
{
	struct tkt_buf msg = { 0 };
	struct tkt_mime m;

	tkt_buf_fmt(&msg, "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\n\nText\n--b\n"
	    "Content-Type: application/octet-stream\n"
	    "Content-Transfer-Encoding: base64\n\n%s\n--b--\n",
	    b64case[_i].body);
	parsen(msg.s, msg.len, &m);
	ck_assert_uint_eq(m.npart, 1);
	partis(&m, 1, "application/octet-stream", NULL, b64case[_i].size);
	tkt_mime_free(&m);
	tkt_buf_free(&msg);
}
END_TEST

START_TEST(nested_parts)
{
	struct tkt_mime m;

	parse(nested, &m);
	ck_assert_str_eq(m.text, "Plain body\n");
	ck_assert_uint_eq(m.npart, 2);
	partis(&m, 1, "image/png", "logo.png", 8);
	partis(&m, 2, "application/pdf", "report.pdf", 5);
	tkt_mime_free(&m);
	bytesare(nested, 1, "\x89PNG\r\n\x1a\n", 8);
	bytesare(nested, 2, "%PDF-", 5);
}
END_TEST

/* An alternative of HTML only, with an image beside it. */
START_TEST(related_html)
{
	struct tkt_mime m;

	parse("Content-Type: multipart/alternative; boundary=a\n\n"
	    "--a\n"
	    "Content-Type: multipart/related; boundary=r\n\n"
	    "--r\nContent-Type: text/html\n\n<p>Only &lt;html&gt;</p>\n"
	    "--r\nContent-Type: image/gif\n\nGIF89a\n"
	    "--r--\n--a--\n", &m);
	ck_assert_str_eq(m.text, "Only <html>\n");
	ck_assert_uint_eq(m.npart, 1);
	partis(&m, 1, "image/gif", NULL, 6);
	tkt_mime_free(&m);
}
END_TEST

/* Beside inline text/plain, text/html is an attachment; alone, text. */
START_TEST(mixed_html)
{
	struct tkt_mime m;

	parse("Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: text/plain\n\nplain\n"
	    "--b\nContent-Type: text/html\n\n<b>html</b>\n--b--\n", &m);
	ck_assert_str_eq(m.text, "plain\n");
	ck_assert_uint_eq(m.npart, 1);
	partis(&m, 1, "text/html", NULL, 11);
	tkt_mime_free(&m);
	parse("Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: text/html\n\n<b>html</b>\n"
	    "--b\nContent-Type: text/plain\nContent-Disposition: attachment"
	    "\n\nlog\n--b--\n", &m);
	ck_assert_str_eq(m.text, "html\n");
	ck_assert_uint_eq(m.npart, 1);
	partis(&m, 1, "text/plain", NULL, 3);
	tkt_mime_free(&m);
}
END_TEST

static const char forwarded[] =
    "Content-Type: multipart/mixed; boundary=\"b\"\n"
    "\n"
    "--b\n"
    "\n"
    "Forwarding the complaint.\n"
    "--b\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: c@example.org\n"
    "Subject: =?UTF-8?Q?caf=C3=A9/bar_down?=\n"
    "\n"
    "inner body\n"
    "--b--\n";

START_TEST(message_rfc822)
{
	static const char inner[] = "From: c@example.org\n"
	    "Subject: =?UTF-8?Q?caf=C3=A9/bar_down?=\n\ninner body";
	struct tkt_mime m;

	parse(forwarded, &m);
	ck_assert_str_eq(m.text, "Forwarding the complaint.\n");
	ck_assert_uint_eq(m.npart, 1);
	partis(&m, 1, "message/rfc822", "caf\xc3\xa9_bar down",
	    strlen(inner));
	tkt_mime_free(&m);
	bytesare(forwarded, 1, inner, strlen(inner));
}
END_TEST

/* In a digest a part without Content-Type is a message. */
START_TEST(digest)
{
	struct tkt_mime m;

	parse("Content-Type: multipart/digest; boundary=d\n\n"
	    "--d\n\nSubject: one\n\n1\n--d\n\nSubject: two\n\n2\n--d--\n", &m);
	ck_assert_str_eq(m.text, "");
	ck_assert_uint_eq(m.npart, 2);
	partis(&m, 1, "message/rfc822", "one", 15);
	partis(&m, 2, "message/rfc822", "two", 15);
	tkt_mime_free(&m);
}
END_TEST

START_TEST(report)
{
	struct tkt_mime m;

	parse("Content-Type: multipart/report; report-type=delivery-status;"
	    "\n boundary=r\n\n"
	    "--r\nContent-Type: text/plain\n\nDelivery failed.\n"
	    "--r\nContent-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mx\n"
	    "--r\nContent-Type: text/plain\n\nmore text\n"
	    "--r\nContent-Type: text/rfc822-headers\n\nSubject: x\n"
	    "--r--\n", &m);
	ck_assert_str_eq(m.text, "Delivery failed.\n");
	ck_assert_uint_eq(m.npart, 3);
	partis(&m, 1, "message/delivery-status", NULL, 22);
	partis(&m, 2, "text/plain", NULL, 9);
	partis(&m, 3, "text/rfc822-headers", NULL, 10);
	tkt_mime_free(&m);
}
END_TEST

START_TEST(missing_close)
{
	static const char msg[] =
	    "Content-Type: multipart/mixed; boundary=b\n\n"
	    "--b\nContent-Type: text/plain\n\nFirst\n"
	    "--b\nContent-Type: application/octet-stream; name=x.bin\n\n"
	    "abc\n";
	struct tkt_mime m;

	parse(msg, &m);
	ck_assert_str_eq(m.text, "First\n");
	ck_assert_uint_eq(m.npart, 1);
	partis(&m, 1, "application/octet-stream", "x.bin", 4);
	tkt_mime_free(&m);
	bytesare(msg, 1, "abc\n", 4);
}
END_TEST

/* A multipart that cannot be split is read as text/plain. */
START_TEST(no_boundary)
{
	textis("Content-Type: multipart/mixed; boundary=zzz\n\n"
	    "Hello\n--other\nbye\n", "Hello\n--other\nbye\n");
	textis("Content-Type: multipart/mixed\n\nHello\n--b\n",
	    "Hello\n--b\n");
	textis("Content-Type: multipart/mixed; boundary=\"\"\n\nHello\n",
	    "Hello\n");
	/* A boundary line must be the boundary and blanks alone. */
	textis("Content-Type: multipart/mixed; boundary=b\n\n"
	    "--bb\n--b x\n", "--bb\n--b x\n");
	textis("Content-Type: multipart/mixed; boundary=b\n\n"
	    "pre\n--b \t\nin\n--b-- \nepilogue\n", "in\n");
}
END_TEST

START_TEST(line_ends)
{
	static const char *const msgs[] = { alternative, mixed, nested,
	    forwarded, html };
	struct tkt_mime lf, cr, mix;
	size_t i, k;
	char *a, *b;

	for (i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		parse(msgs[i], &lf);
		parse(a = crlf(msgs[i], 0), &cr);
		parse(b = crlf(msgs[i], 1), &mix);
		ck_assert_str_eq(cr.text, lf.text);
		ck_assert_str_eq(mix.text, lf.text);
		ck_assert_uint_eq(cr.npart, lf.npart);
		ck_assert_uint_eq(mix.npart, lf.npart);
		for (k = 0; k < lf.npart; k++)
			if (strcmp(lf.part[k].type, "message/rfc822") != 0) {
				ck_assert_uint_eq(cr.part[k].size,
				    lf.part[k].size);
				ck_assert_uint_eq(mix.part[k].size,
				    lf.part[k].size);
			}
		tkt_mime_free(&lf);
		tkt_mime_free(&cr);
		tkt_mime_free(&mix);
		free(a);
		free(b);
	}
	textis("Subject: x\r\n\r\none\r\ntwo\rthree\n", "one\ntwo\nthree\n");
	textis("Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	    "soft =\r\nbreak=0D=0Ahard\r\n", "soft break\nhard\n");
}
END_TEST

START_TEST(mbox_from)
{
	textis("From ann@example.org Mon Jan  1 00:00:00 2024\n"
	    "Subject: x\n\nBody\n", "Body\n");
	textis("From ann@example.org Mon Jan  1 00:00:00 2024", "");
}
END_TEST

START_TEST(headers_only)
{
	struct tkt_mime m;

	textis("Subject: x\nFrom: y\n", "");
	textis("Subject: no newline at all", "");
	textis("Content-Type: multipart/mixed; boundary=b\n", "");
	textis("", "");
	textis("\n", "");
	ck_assert_int_eq(tkt_mime_parse(NULL, 0, &m), 0);
	ck_assert_str_eq(m.text, "");
	ck_assert_uint_eq(m.textlen, 0);
	tkt_mime_free(&m);
	/* The first line that is no field starts the body. */
	textis("Subject: x\nHello there\n", "Hello there\n");
}
END_TEST

START_TEST(nul_bytes)
{
	static const char msg[] = "Subject: a\0b\n"
	    "Content-Type: text/plain\n\nab\0cd\n\0\0\nef\n";
	static const char att[] = "Content-Type: application/x-y;"
	    " name=\"a\0b.bin\"\n\nx\0y";
	struct tkt_mime m;
	struct tkt_buf b = { 0 };

	parsen(msg, sizeof msg - 1, &m);
	ck_assert_str_eq(m.text, "abcd\n\nef\n");
	tkt_mime_free(&m);
	parsen(att, sizeof att - 1, &m);
	ck_assert_str_eq(m.text, "");
	partis(&m, 1, "application/x-y", "a b.bin", 3);
	tkt_mime_free(&m);
	ck_assert_int_eq(tkt_mime_part(att, sizeof att - 1, 1, &b), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert(memcmp(b.s, "x\0y", 3) == 0);
	tkt_buf_free(&b);
}
END_TEST

/* C0 and C1 controls, DEL and a byte order mark do not reach the text. */
START_TEST(controls)
{
	textis("Content-Type: text/plain; charset=utf-8\n\n"
	    "\xef\xbb\xbf" "a\x01" "b\x1b[31mc\x7f\td\x0c\xc2\x9b" "e\n",
	    "ab[31mc\tde\n");
	textis("Content-Type: text/plain; charset=iso-8859-1\n\n"
	    "x\x81y\n", "xy\n");
}
END_TEST

START_TEST(first_content_type)
{
	textis("Content-Type: text/plain\nContent-Type: text/html\n\n"
	    "<b>x</b>\n", "<b>x</b>\n");
	textis("content-TYPE: TEXT/HTML; CHARSET=\"UTF-8\"\n\n<b>x</b>\n",
	    "x\n");
}
END_TEST

START_TEST(odd_types)
{
	struct tkt_mime m;

	parse("Content-Type: garbage\n\nbytes\n", &m);
	ck_assert_str_eq(m.text, "");
	partis(&m, 1, "application/octet-stream", NULL, 6);
	tkt_mime_free(&m);
	parse("Content-Type: text/calendar; method=REQUEST\n\nBEGIN\n", &m);
	ck_assert_str_eq(m.text, "");
	partis(&m, 1, "text/calendar", NULL, 6);
	tkt_mime_free(&m);
	parse("Content-Type: text/ (x)\n\nbytes\n", &m);
	partis(&m, 1, "application/octet-stream", NULL, 6);
	tkt_mime_free(&m);
}
END_TEST

/* Each level one multipart inside the last; only MAXDEPTH are read. */
START_TEST(deep_nesting)
{
	struct tkt_buf msg = { 0 }, b = { 0 };
	struct tkt_mime m;
	int i;

	for (i = 0; i < 1000; i++)
		tkt_buf_fmt(&msg, "Content-Type: multipart/mixed; "
		    "boundary=b%d\n\n--b%d\n", i, i);
	tkt_buf_str(&msg, "Content-Type: text/plain\n\ndeep\n");
	for (i = 999; i >= 0; i--)
		tkt_buf_fmt(&msg, "--b%d--\n", i);
	parsen(msg.s, msg.len, &m);
	ck_assert_str_eq(m.text, "");
	ck_assert_uint_eq(m.npart, 1);
	ck_assert_str_eq(m.part[0].type, "multipart/mixed");
	tkt_mime_free(&m);
	ck_assert_int_eq(tkt_mime_part(msg.s, msg.len, 1, &b), 0);
	ck_assert(strncmp(b.s, "--b20\nContent-Type:", 19) == 0);
	tkt_buf_free(&b);
	tkt_buf_free(&msg);
}
END_TEST

START_TEST(long_header)
{
	struct tkt_buf msg = { 0 };
	struct tkt_mime m;
	int i;

	tkt_buf_str(&msg, "X-Long: start");
	for (i = 0; i < 1000; i++)
		tkt_buf_str(&msg, "\n\tfolded words go on and on");
	tkt_buf_str(&msg, "\nContent-Type: text/plain; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n\ncaf=E9\n");
	ck_assert_uint_gt(msg.len, 20 * 1024);
	parsen(msg.s, msg.len, &m);
	ck_assert_str_eq(m.text, "caf\xc3\xa9\n");
	tkt_mime_free(&m);
	tkt_buf_free(&msg);

	/* The boundary after 20 KB of one folded Content-Type. */
	tkt_buf_str(&msg, "Content-Type: multipart/mixed;\n x-junk=\"");
	for (i = 0; i < 1000; i++)
		tkt_buf_str(&msg, "\n folded words go on and on");
	tkt_buf_str(&msg, "\";\n boundary=end\n\n--end\n\nlast\n--end--\n");
	parsen(msg.s, msg.len, &m);
	ck_assert_str_eq(m.text, "last\n");
	tkt_mime_free(&m);
	tkt_buf_free(&msg);
}
END_TEST

/* A multipart in base64, which some senders produce. */
START_TEST(encoded_multipart)
{
	textis("Content-Type: multipart/mixed; boundary=b\n"
	    "Content-Transfer-Encoding: base64\n\n"
	    "LS1iCgpkZWNvZGVkIGZpcnN0Ci0tYi0tCg==\n", "decoded first\n");
}
END_TEST

/* Random pieces of mail: whatever comes out must be sane. */
START_TEST(fuzz)
{
	static const char *const bits[] = {
	    "Content-Type: multipart/mixed; boundary=b\n",
	    "Content-Type: multipart/alternative; boundary=\"b\"\n",
	    "Content-Type: multipart/related; boundary=c\n",
	    "Content-Type: text/html; charset=koi8-r\n",
	    "Content-Type: text/plain; charset=utf-8\n",
	    "Content-Type: message/rfc822\n", "Content-Type: ",
	    "Content-Transfer-Encoding: base64\n",
	    "Content-Transfer-Encoding: quoted-printable\n",
	    "Content-Disposition: attachment; filename*0*=UTF-8''%C3",
	    "; filename*1*=%A9\n", "name=\"=?UTF-8?Q?=C3?=\"", "\n", "\r\n",
	    "\n\n", "--b\n", "--c\n", "--b--\n", "--c--\n", " folded\n",
	    "\t", "=", "=C3", "=\n", "<p>", "<a href=\"x\">", "</a>", "<!--",
	    "&amp;", "&#x", "<li>", "<br>", "<script>", "</script>", "\xc3",
	    "\xa9", "\xff", "\x80", "\0", "\x1b", "Q2Fmw6k=", "Subject: x\n",
	    "From x\n", "(", ")", "\"", "\\", ";", "*"
	};
	unsigned long seed = 11;
	struct tkt_buf msg = { 0 };
	struct tkt_mime m;
	const size_t nbits = sizeof bits / sizeof bits[0];
	const char *s;
	int i, k, n;

	for (i = 0; i < 3000; i++) {
		msg.len = 0;
		n = 1 + i % 40;
		for (k = 0; k < n; k++) {
			seed = seed * 6364136223846793005UL + 1;
			s = bits[(seed >> 33) % nbits];
			tkt_buf_add(&msg, s, *s == '\0' ? 1 : strlen(s));
		}
		parsen(msg.s, msg.len, &m);
		tkt_mime_free(&m);
	}
	tkt_buf_free(&msg);
}
END_TEST

/* tkt_html_text on its own: it appends, and owes nothing to before. */
START_TEST(html_append)
{
	struct tkt_buf b = { 0 };

	tkt_buf_str(&b, "before\n");
	tkt_html_text(&b, "<p>para</p><br>", 15);
	ck_assert_str_eq(b.s, "before\npara");
	tkt_buf_free(&b);
	tkt_html_text(&b, "", 0);
	ck_assert_str_eq(b.s, "");
	tkt_buf_free(&b);
}
END_TEST

Suite *
mime_suite(void)
{
	Suite *s = suite_create("mime");
	TCase *tc = tcase_create("mime");

	tcase_add_test(tc, plain_7bit);
	tcase_add_test(tc, quoted_printable);
	tcase_add_test(tc, base64_utf8);
	tcase_add_test(tc, latin1_and_1252);
	tcase_add_test(tc, iconv_charsets);
	tcase_add_test(tc, charset_fallback);
	tcase_add_test(tc, alternative_plain);
	tcase_add_test(tc, html_only);
	tcase_add_test(tc, html_unterminated);
	tcase_add_test(tc, mixed_with_pdf);
	tcase_add_test(tc, rfc2231_names);
	tcase_add_test(tc, other_names);
	tcase_add_loop_test(tc, base64_sizes, 0, sizeof b64case /
	    sizeof b64case[0]);
	tcase_add_test(tc, nested_parts);
	tcase_add_test(tc, related_html);
	tcase_add_test(tc, mixed_html);
	tcase_add_test(tc, message_rfc822);
	tcase_add_test(tc, digest);
	tcase_add_test(tc, report);
	tcase_add_test(tc, missing_close);
	tcase_add_test(tc, no_boundary);
	tcase_add_test(tc, line_ends);
	tcase_add_test(tc, mbox_from);
	tcase_add_test(tc, headers_only);
	tcase_add_test(tc, nul_bytes);
	tcase_add_test(tc, controls);
	tcase_add_test(tc, first_content_type);
	tcase_add_test(tc, odd_types);
	tcase_add_test(tc, deep_nesting);
	tcase_add_test(tc, long_header);
	tcase_add_test(tc, encoded_multipart);
	tcase_add_test(tc, fuzz);
	tcase_add_test(tc, html_append);
	suite_add_tcase(s, tc);
	return s;
}
