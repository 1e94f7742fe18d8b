#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace wharf::mime {

struct HtmlAttribute
{
    QString name;  // lower case
    QString value; // entities decoded
};

struct HtmlToken
{
    enum class Kind
    {
        Text,
        StartTag,
        EndTag,
        EndOfInput
    };
    Kind kind = Kind::EndOfInput;
    QString text; // decoded text, or the lower-case tag name
    QList<HtmlAttribute> attributes;
    bool selfClosing = false; // `<x ... />`: only meaningful for SVG and MathML
};

// A small, forgiving HTML tokenizer after the WHATWG rules that matter for sanitising:
// comments, CDATA, doctypes and processing instructions vanish; a `<` that starts no tag
// is text; an unterminated tag at the end is dropped; a repeated attribute keeps its first
// value; the bodies of script/style/title/textarea/... are one text token, so a `<` inside
// them starts no tag. Runs in linear time on any input and never fails.
class HtmlTokenizer
{
public:
    explicit HtmlTokenizer(QStringView input)
        : m_in(input)
    {}
    HtmlToken next();

private:
    bool readTag(HtmlToken &token);
    void skipPast(QStringView terminator);
    HtmlToken readRawText();

    QStringView m_in;
    qsizetype m_pos = 0;
    QString m_rawTextEnd; // set after a raw-text start tag: the element that ends it
    bool m_rawTextDecodes = false;
};

// Decodes character references (named, decimal, hex) as a browser would, so the sanitiser
// judges what the viewer will see: `jav&#x09;ascript:` is "jav\tascript:".
QString decodeHtmlEntities(QStringView text, bool inAttribute);

} // namespace wharf::mime
