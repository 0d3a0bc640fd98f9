<?xml version="1.0" encoding="utf-8"?>
{#- Shows an Atom or RSS feed as a page when someone opens it in a browser (XSLT 1.0, run by the
    browser; feed readers ignore it). It says what a feed is and how to subscribe, in the feed's
    UI language and then in every other UI language, each block with its own lang (WCAG 3.1.2).
    Accessibility: the same site.css, landmarks, one h1, a list of entries with headings; the
    feed's address is shown as text to select and copy (no script is needed).
    Rendered by Jinja: `{{ "{{" }}` is Jinja, `{…}` inside attributes is XSLT. -#}
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
<xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>
<xsl:variable name="title" select="atom:feed/atom:title | rss/channel/title"/>
<xsl:variable name="self" select="atom:feed/atom:link[@rel='self']/@href | rss/channel/atom:link[@rel='self']/@href"/>
<xsl:variable name="page" select="atom:feed/atom:link[@rel='alternate' and @type='text/html']/@href | rss/channel/link"/>
<xsl:template match="/">
<html lang="{{ ui }}">
<head>
  <meta charset="utf-8"/>
  <meta name="viewport" content="width=device-width, initial-scale=1"/>
  <meta name="robots" content="noindex"/>
  <title><xsl:value-of select="$title"/> · {{ _("Feed") }}</title>
  <link rel="stylesheet" href="{{ SITEURL }}/theme/css/site.css"/>
</head>
<body>
  <header class="site-header">
    <div class="wrap header-top">
      <a class="site-name" href="{{ SITEURL }}/{{ urls.home(prefix) }}">{{ SITENAME }}</a>
    </div>
  </header>
  <main id="main" class="wrap feed-view">
    <p class="feed-notice"><strong>{{ _("This is a feed.") }}</strong> {{ _("A feed reader or e-mail program can check it for new entries, so you learn what is new without visiting the site and without an account.") }}</p>
    <h1><xsl:value-of select="$title"/></h1>
    <p class="lead"><xsl:value-of select="atom:feed/atom:subtitle | rss/channel/description"/></p>
    <section aria-labelledby="how">
      <h2 id="how">{{ _("How to subscribe") }}</h2>
      <ol>
        <li>{{ _("Copy the address of this feed:") }} <code class="feed-address"><xsl:value-of select="$self"/></code></li>
        <li>{{ _("Paste it into your feed reader, or into the feed function of your e-mail program, and subscribe.") }}</li>
      </ol>
      <p><a href="{{ SITEURL }}/{{ urls.listing("subscribe", prefix) }}">{{ _("All feeds and calendars") }}</a> · <a href="{$page}">{{ _("The page of this feed") }}</a></p>
    </section>
    {% for other in ui_languages if other != ui %}
    <section lang="{{ other }}" aria-labelledby="how-{{ other }}">
      <h2 id="how-{{ other }}">{{ translate(other, "How to subscribe") }}</h2>
      <p><strong>{{ translate(other, "This is a feed.") }}</strong> {{ translate(other, "A feed reader or e-mail program can check it for new entries, so you learn what is new without visiting the site and without an account.") }} {{ translate(other, "Paste it into your feed reader, or into the feed function of your e-mail program, and subscribe.") }}</p>
    </section>
    {% endfor %}
    <section aria-labelledby="entries">
      <h2 id="entries">{{ _("Latest entries") }}</h2>
      <ul class="feed-entries">
        <xsl:for-each select="atom:feed/atom:entry | rss/channel/item">
          <li>
            <xsl:if test="dc:language"><xsl:attribute name="lang"><xsl:value-of select="dc:language"/></xsl:attribute></xsl:if>
            <h3><a href="{atom:link[@rel='alternate']/@href | link}"><xsl:value-of select="atom:title | title"/></a></h3>
            <p class="feed-date"><xsl:call-template name="day">
              <xsl:with-param name="date" select="atom:published | pubDate"/>
            </xsl:call-template></p>
            <p><xsl:value-of select="atom:summary | description"/></p>
          </li>
        </xsl:for-each>
      </ul>
    </section>
  </main>
</body>
</html>
</xsl:template>
{#- An entry's date in the UI language, as Babel writes it on the site's pages: from Atom's
    "2026-12-02T00:00:00+01:00" or RSS's "Wed, 02 Dec 2026 00:00:00 +0100" (local dates both). #}
<xsl:template name="day">
  <xsl:param name="date"/>
  <xsl:variable name="rss" select="contains($date, ',')"/>
  <xsl:variable name="y" select="substring($date, 1 + 12 * $rss, 4)"/>
  <xsl:variable name="d" select="number(substring($date, 9 - 3 * $rss, 2))"/>
  <xsl:variable name="m">
    <xsl:choose>
      <xsl:when test="$rss"><xsl:value-of select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring($date, 9, 3))) div 3 + 1"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="number(substring($date, 6, 2))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <time datetime="{concat($y, '-', format-number($m, '00'), '-', format-number($d, '00'))}">
  <xsl:choose>
    {%- for month in range(1, 13) %}
    <xsl:when test="$m = {{ month }}">{% for part in day_parts(month) %}{% if part == "{d}" %}<xsl:value-of select="$d"/>{% elif part == "{y}" %}<xsl:value-of select="$y"/>{% else %}<xsl:text>{{ part }}</xsl:text>{% endif %}{% endfor %}</xsl:when>
    {%- endfor %}
    <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
  </xsl:choose>
  </time>
</xsl:template>
</xsl:stylesheet>
