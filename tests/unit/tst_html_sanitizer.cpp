#include "mime/HtmlSanitizer.h"

#include <QRegularExpression>
#include <QTest>

using wharf::mime::plainTextToHtml;
using wharf::mime::SanitizedHtml;
using wharf::mime::sanitizeHtml;
using wharf::mime::SanitizeOptions;

class TestHtmlSanitizer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sanitize_data();
    void sanitize();
    void deepNesting();
    void hugeInput();
    void plainText_data();
    void plainText();
};

namespace {

QString u8(const char *text)
{
    return QString::fromUtf8(text);
}

// Test double for the viewer: parts whose Content-ID starts with "part" exist.
QString resolveCid(const QByteArray &contentId)
{
    return contentId.startsWith("part")
               ? QStringLiteral("wharf-cid:") + QString::fromUtf8(contentId)
               : QString();
}

SanitizedHtml run(const QString &input, bool allowRemote)
{
    SanitizeOptions options;
    options.allowRemoteContent = allowRemote;
    options.resolveCid = resolveCid;
    return sanitizeHtml(input, options);
}

// QVERIFY2 would build its message (the whole output) on every call.
#define CHECK(condition, message)                                                                  \
    do {                                                                                           \
        if (!(condition))                                                                          \
            QFAIL(message);                                                                        \
    } while (false)

// What every output must be, whatever went in: only tags we write (text `<` is escaped),
// closed in order, with no script, handler or script URL in any of them.
void checkIsSafeAndWellFormed(const QString &html)
{
    static const QRegularExpression handler(QStringLiteral("\\son[a-z]+=\"?\\w"));
    QStringList open;
    for (qsizetype lt = html.indexOf(u'<'); lt >= 0; lt = html.indexOf(u'<', lt + 1)) {
        const qsizetype gt = html.indexOf(u'>', lt);
        CHECK(gt > lt, qPrintable(html));
        const QString tag = html.sliced(lt + 1, gt - lt - 1);
        CHECK(!tag.contains(u"javascript:", Qt::CaseInsensitive), qPrintable(tag));
        CHECK(!tag.contains(handler) || tag.contains(u"alt=") || tag.contains(u"title="),
              qPrintable(tag));
        if (tag.startsWith(u'/')) {
            CHECK(!open.isEmpty() && open.takeLast() == tag.sliced(1), qPrintable(html));
            continue;
        }
        const QString name = tag.section(u' ', 0, 0);
        CHECK(name != u"script" && name != u"style" && name != u"iframe", qPrintable(html));
        if (name != u"br" && name != u"hr" && name != u"img" && name != u"col")
            open.append(name);
    }
    CHECK(open.isEmpty(), qPrintable(html));
}

} // namespace

void TestHtmlSanitizer::sanitize_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("allowRemote");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("blocked");

    const auto row = [](const char *name, const char *input, const char *expected, int blocked = 0,
                        bool allowRemote = false) {
        QTest::newRow(name) << u8(input) << allowRemote << u8(expected) << blocked;
    };
    // Script, in every spelling the OWASP evasion list knows.
    row("script", "<script>alert(1)</script>hi", "hi");
    row("script src", "<SCRIPT SRC=http://x/x.js></SCRIPT>ok", "ok");
    row("script split", "<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)");
    row("script raw text", "<script>document.write(\"</div><b>\")</script>x", "x");
    row("script double lt", "<<script>alert(1);//<</script>", "&lt;");
    row("script slash attr", "<script/xss src=\"http://x/x.js\"></script>a", "a");
    row("script unclosed", "<p>a<script>alert(1)<p>b", "<p>a</p>");
    row("script in attribute", "<p title=\"<script>alert(1)</script>\">t</p>",
        "<p title=\"&lt;script&gt;alert(1)&lt;/script&gt;\">t</p>");
    // Event handlers.
    row("img onerror", "<img src=x onerror=alert(1)>", "");
    row("img data onerror", "<img src=\"data:image/png;base64,AAAA\" onerror=\"alert(1)\">",
        "<img src=\"data:image/png;base64,AAAA\">");
    row("body onload", "<body onload=alert(1)>x</body>", "x");
    row("p handlers", "<p onclick=\"x()\" ONMOUSEOVER=y>t</p>", "<p>t</p>");
    row("handler after slash", "<b/onmouseover=alert(1)>t</b>", "<b>t</b>");
    row("quote breakout", "<p title=\"a&quot;onmouseover=&quot;alert(1)\">x</p>",
        "<p title=\"a&quot;onmouseover=&quot;alert(1)\">x</p>");
    // javascript: and friends, however disguised.
    row("js href", "<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>");
    row("js mixed case", "<a href=\"JaVaScRiPt:alert(1)\">x</a>", "<a>x</a>");
    row("js tab entity", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "<a>x</a>");
    row("js newline entity", "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>", "<a>x</a>");
    row("js raw tab", "<a href=\"jav\tascript:alert(1)\">x</a>", "<a>x</a>");
    row("js leading space", "<a href=\"   javascript:alert(1)\">x</a>", "<a>x</a>");
    row("js leading control", "<a href=\"\x01javascript:alert(1)\">x</a>", "<a>x</a>");
    row("js decimal entities",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a>x</a>");
    row("js padded entities no semicolon",
        "<a href=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
        "&#0000112&#0000116&#0000058alert(1)>x</a>",
        "<a>x</a>");
    row("js colon entity", "<a href=\"javascript&colon;alert(1)\">x</a>", "<a>x</a>");
    row("vbscript", "<a href=\"vbscript:msgbox(1)\">x</a>", "<a>x</a>");
    row("data html link", "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", "<a>x</a>");
    row("file link", "<a href=\"file:///etc/passwd\">x</a>", "<a>x</a>");
    row("relative link", "<a href=\"page.html\">r</a>", "<a>r</a>");
    row("https link", "<a href=\"https://example.com/?a=1&amp;b=2\">x</a>",
        "<a href=\"https://example.com/?a=1&amp;b=2\">x</a>");
    row("http unquoted", "<a href=http://x.example/ title=t>u</a>",
        "<a href=\"http://x.example/\" title=\"t\">u</a>");
    row("mailto", "<a href=\"mailto:a@b.example\">m</a>", "<a href=\"mailto:a@b.example\">m</a>");
    row("fragment", "<a href=\"#top\" name=\"n\">t</a>", "<a href=\"#top\" name=\"n\">t</a>");
    row("duplicate href first wins",
        "<a href=\"https://a.example/\" href=\"javascript:alert(1)\">x</a>",
        "<a href=\"https://a.example/\">x</a>");
    row("duplicate href js first",
        "<a href=\"javascript:alert(1)\" href=\"https://a.example/\">x</a>", "<a>x</a>");
    // Foreign and embedded content goes with everything inside it.
    row("svg onload", "<svg onload=alert(1)><circle r=1></circle></svg>after", "after");
    row("svg script", "<svg><script>alert(1)</script></svg><p>p</p>", "<p>p</p>");
    row("svg self-closing", "<svg/><b>kept</b>", "<b>kept</b>");
    row("math mglyph", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "");
    row("template", "<template><img src=x onerror=alert(1)></template>ok", "ok");
    row("noscript attr", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "");
    row("iframe srcdoc", "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>x",
        "x");
    row("iframe src", "<iframe src=http://x/></iframe>x", "x");
    row("form action",
        "<form action=\"https://evil.example/\"><input name=p><button>Go</button></form>x", "x");
    row("object embed", "<object data=\"x.swf\"><param name=a></object><embed src=\"x.swf\">z",
        "z");
    row("style element", "<style>body{background:url(http://x/t.png)}</style>t", "t");
    row("title head", "<head><title>T</title></head><p>b</p>", "<p>b</p>");
    row("meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">x",
        "x");
    row("base href", "<base href=\"javascript:alert(1)//\">x", "x");
    // Styles.
    row("style expression", "<div style=\"width: expression(alert(1))\">x</div>", "<div>x</div>");
    row("style kept", "<div style=\"color: red; background-color: #fff\">x</div>",
        "<div style=\"color: red; background-color: #fff\">x</div>");
    row("style filtered", "<div style=\"position: fixed; top: 0; color: blue\">x</div>",
        "<div style=\"color: blue\">x</div>");
    row("style escape", "<div style=\"color: re\\64\">x</div>", "<div>x</div>");
    row("style import", "<div style=\"@import 'x'; color: red\">x</div>",
        "<div style=\"color: red\">x</div>");
    row("style font quotes", "<div style=\"font-family: &quot;Segoe UI&quot;, sans-serif\">x</div>",
        "<div style=\"font-family: &quot;Segoe UI&quot;, sans-serif\">x</div>");
    row("style rgb", "<span style=\"color: rgb(1, 2, 3)\">x</span>",
        "<span style=\"color: rgb(1, 2, 3)\">x</span>");
    row("style image-set", "<td style=\"border-image: image-set('http://x/a.png' 1x)\">x</td>",
        "<td>x</td>");
    row("style moz-binding",
        "<div style=\"behavior: url(x.htc); -moz-binding: url(http://x/x.xml#x)\">x</div>",
        "<div>x</div>", 1);
    // Remote content: blocked and counted, or kept when the user asked.
    row("remote img", "<img src=\"http://tracker.example/p.gif\">", "", 1);
    row("remote img allowed", "<img src=\"http://tracker.example/p.gif\">",
        "<img src=\"http://tracker.example/p.gif\">", 0, true);
    row("protocol-relative img", "<img src=\"//tracker.example/p.gif\">", "", 1);
    row("protocol-relative allowed", "<img src=\"//tracker.example/p.gif\">",
        "<img src=\"https://tracker.example/p.gif\">", 0, true);
    row("unc img", "<img src=\"\\\\host\\share\\a.png\">", "", 1);
    row("unc img allowed", "<img src=\"\\\\host\\a.png\">", "", 0, true);
    row("two remote imgs", "<img src=\"http://a/1.png\"><IMG SRC=\"https://a/2.png\">", "", 2);
    row("srcset",
        "<img srcset=\"https://a.example/1.png 1x, https://a.example/2.png 2x\" "
        "src=\"data:image/gif;base64,R0lG\">",
        "<img src=\"data:image/gif;base64,R0lG\">", 2);
    row("srcset allowed",
        "<img srcset=\"https://a.example/1.png 1x\" src=\"https://a.example/0.png\">",
        "<img src=\"https://a.example/0.png\">", 0, true);
    row("background attr",
        "<table background=\"http://x.example/bg.png\"><tr><td>c</td></tr></table>",
        "<table><tr><td>c</td></tr></table>", 1);
    row("background allowed",
        "<table background=\"http://x.example/bg.png\"><tr><td>c</td></tr></table>",
        "<table background=\"http://x.example/bg.png\"><tr><td>c</td></tr></table>", 0, true);
    row("body background", "<body background=\"http://x/b.png\">t", "t", 1);
    row("css url",
        "<div style=\"background-image: url('https://x.example/a.png'); color: red\">x</div>",
        "<div style=\"color: red\">x</div>", 1);
    row("css url allowed still dropped", "<div style=\"background: url(https://x/a.png)\">x</div>",
        "<div>x</div>", 0, true);
    row("link stylesheet", "<link rel=\"stylesheet\" href=\"https://x.example/s.css\">x", "x", 1);
    row("link stylesheet allowed", "<link rel=\"stylesheet\" href=\"https://x.example/s.css\">x",
        "x", 0, true);
    // cid: and data:
    row("cid resolved", "<img src=\"cid:part1@example.com\" alt=\"logo\">",
        "<img src=\"wharf-cid:part1@example.com\" alt=\"logo\">");
    row("cid percent", "<img src=\"CID:part%40x\">", "<img src=\"wharf-cid:part@x\">");
    row("cid missing", "<img src=\"cid:other@x\">", "");
    row("data image", "<img src=\"data:image/png;base64,iVBORw0KGgo=\" width=10 height=\"20%\">",
        "<img src=\"data:image/png;base64,iVBORw0KGgo=\" width=\"10\" height=\"20%\">");
    row("data html img", "<img src=\"data:text/html;base64,PHNjcmlwdD4=\">", "");
    row("data svg img", "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", "");
    // Malformed markup.
    row("unclosed", "<p>unclosed <b>bold <i>both", "<p>unclosed <b>bold <i>both</i></b></p>");
    row("stray lt gt", "a < b && c > d", "a &lt; b &amp;&amp; c &gt; d");
    row("stray end tag", "<b>x</i>y</b>", "<b>xy</b>");
    row("misnested", "<b><i>x</b>y</i>", "<b><i>x</i></b>y");
    row("attrs filtered", "<p align=CENTER class=x id=y>t", "<p align=\"center\">t</p>");
    row("bad attr values", "<font color=\"red;x:y\" size=3 face=Arial>f</font>",
        "<font size=\"3\" face=\"Arial\">f</font>");
    row("nested tables", "<table><tr><td><table><tr><td>in</td></tr></table></td></tr></table>",
        "<table><tr><td><table><tr><td>in</td></tr></table></td></tr></table>");
    row("implied li", "<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>");
    row("implied td", "<table><tr><td>a<td>b<tr><td>c</table>",
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>");
    row("unterminated attr", "<div title=\"unterminated>text", "");
    row("unterminated tag", "text<b", "text");
    row("comments and doctype", "<!-- c --><!DOCTYPE html><?xml x?><![CDATA[<script>]]>t", "t");
    row("commented img", "<!--<img src=x onerror=alert(1)>-->t", "t");
    row("void elements", "<br/><hr /><BR>x</br>", "<br><hr><br>x");
    row("bogus end tags", "text</>more</ p>end", "textmoreend");
    row("unknown unwrapped", "<unknown attr=1>kept</unknown><html><body>b", "keptb");
    row("textarea is text", "<textarea><b>x</b></textarea>", "&lt;b&gt;x&lt;/b&gt;");
    row("nul dropped",
        "a\x01"
        "b",
        "ab");
    // Entities: decoded, then escaped again.
    row("escaped script text", "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;script&gt;alert(1)&lt;/script&gt;");
    row("named and numeric", "caf&eacute; &copy &#169; &#xA9; &euro;", "café © © © €");
    row("bad references", "&unknown; &#0; &#x110000; & &#",
        "&amp;unknown; \xEF\xBF\xBD \xEF\xBF\xBD &amp; &amp;#");
    row("quotes", "\"q\" & 'a'", "&quot;q&quot; &amp; &#39;a&#39;");
    row("alt breakout",
        "<img src=\"data:image/png;base64,AA\" alt=\"&#x22; onerror=&#x22;alert(1)\">",
        "<img src=\"data:image/png;base64,AA\" alt=\"&quot; onerror=&quot;alert(1)\">");
    row("windows-1252 reference", "&#150;&#x80;", "\xE2\x80\x93\xE2\x82\xAC");
}

void TestHtmlSanitizer::sanitize()
{
    QFETCH(QString, input);
    QFETCH(bool, allowRemote);
    QFETCH(QString, expected);
    QFETCH(int, blocked);

    const SanitizedHtml result = run(input, allowRemote);
    QCOMPARE(result.html, expected);
    QCOMPARE(result.blockedRemoteResources, blocked);
    checkIsSafeAndWellFormed(result.html);
    // Our own output is already in the subset (resolved cid: URLs are the viewer's own).
    if (!expected.contains(u"wharf-cid:"))
        QCOMPARE(run(result.html, allowRemote).html, result.html);
}

void TestHtmlSanitizer::deepNesting()
{
    const QString input = QStringLiteral("<div>").repeated(5000) + QStringLiteral("deep") +
                          QStringLiteral("<span>").repeated(5000);
    const QString html = run(input, false).html;
    QCOMPARE(html.count(u"<div>"), 100);
    QCOMPARE(html.count(u"</div>"), 100);
    QVERIFY(!html.contains(u"<span>"));
    QVERIFY(html.contains(u"deep"));
    checkIsSafeAndWellFormed(html);
}

void TestHtmlSanitizer::hugeInput()
{
    // About 5 MB of mixed hostile markup; quadratic behaviour would time the test out.
    const QString chunk = u8("<div><p onclick=x>t&amp;<b>b<img src=http://t/p.gif>"
                             "<a href='javascript:x'>l</a><script>s</script><td>"
                             "<!-- c --> < &#x41; <svg>v</svg>");
    const QString input = chunk.repeated(5 * 1024 * 1024 / chunk.size());
    const SanitizedHtml result = run(input, false);
    QCOMPARE(result.blockedRemoteResources, input.size() / chunk.size());
    checkIsSafeAndWellFormed(result.html);

    const QString stray = QString(u'<').repeated(5 * 1024 * 1024);
    QCOMPARE(run(stray, false).html.size(), stray.size() * 4);
    const QString unterminated =
        QStringLiteral("<a href=\"") + QString(u'x').repeated(5 * 1024 * 1024);
    QCOMPARE(run(unterminated, false).html, QString());
}

void TestHtmlSanitizer::plainText_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    const auto row = [](const char *name, const char *input, const char *expected) {
        QTest::newRow(name) << u8(input)
                            << QStringLiteral("<div style=\"white-space: pre-wrap\">") +
                                   u8(expected) + QStringLiteral("</div>");
    };
    row("escaped", "a < b & \"c\"", "a &lt; b &amp; &quot;c&quot;");
    row("url", "see https://example.com/x.",
        "see <a href=\"https://example.com/x\">https://example.com/x</a>.");
    row("url in parens", "(http://a.example/b)",
        "(<a href=\"http://a.example/b\">http://a.example/b</a>)");
    row("url with parens", "http://w.example/A_(b)",
        "<a href=\"http://w.example/A_(b)\">http://w.example/A_(b)</a>");
    row("url with query", "https://a.example/?x=1&y=2",
        "<a href=\"https://a.example/?x=1&amp;y=2\">https://a.example/?x=1&amp;y=2</a>");
    row("line breaks", "one\r\ntwo\n  three", "one\ntwo\n  three");
    row("no script link", "javascript:alert(1)", "javascript:alert(1)");
    row("script scheme in url", "http://x.example/?javascript:alert(1)",
        "http://x.example/?javascript:alert(1)");
    row("no word-internal link", "xhttp://a.example", "xhttp://a.example");
    row("bare scheme", "http:// and https://", "http:// and https://");
    row("url then quote", "\"http://a.example/\"<b>",
        "&quot;<a href=\"http://a.example/\">http://a.example/</a>&quot;&lt;b&gt;");
}

void TestHtmlSanitizer::plainText()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(plainTextToHtml(input), expected);
}

QTEST_GUILESS_MAIN(TestHtmlSanitizer)
#include "tst_html_sanitizer.moc"
