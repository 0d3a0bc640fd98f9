<?xml version="1.0" encoding="utf-8"?><xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
<xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>
<xsl:variable name="title" select="atom:feed/atom:title | rss/channel/title"/>
<xsl:variable name="self" select="atom:feed/atom:link[@rel='self']/@href | rss/channel/atom:link[@rel='self']/@href"/>
<xsl:variable name="page" select="atom:feed/atom:link[@rel='alternate' and @type='text/html']/@href | rss/channel/link"/>
<xsl:template match="/">
<html lang="en">
<head>
  <meta charset="utf-8"/>
  <meta name="viewport" content="width=device-width, initial-scale=1"/>
  <meta name="robots" content="noindex"/>
  <title><xsl:value-of select="$title"/> · Feed</title>
  <link rel="stylesheet" href="/theme/css/site.css"/>
</head>
<body>
  <header class="site-header">
    <div class="wrap header-top">
      <a class="site-name" href="/en/">CuCon</a>
    </div>
  </header>
  <main id="main" class="wrap feed-view">
    <p class="feed-notice"><strong>This is a feed.</strong> A feed reader or e-mail program can check it for new entries, so you learn what is new without visiting the site and without an account.</p>
    <h1><xsl:value-of select="$title"/></h1>
    <p class="lead"><xsl:value-of select="atom:feed/atom:subtitle | rss/channel/description"/></p>
    <section aria-labelledby="how">
      <h2 id="how">How to subscribe</h2>
      <ol>
        <li>Copy the address of this feed: <code class="feed-address"><xsl:value-of select="$self"/></code></li>
        <li>Paste it into your feed reader, or into the feed function of your e-mail program, and subscribe.</li>
      </ol>
      <p><a href="/en/subscribe/">All feeds and calendars</a> · <a href="{$page}">The page of this feed</a></p>
    </section>
    <section lang="de" aria-labelledby="how-de">
      <h2 id="how-de">So abonnieren Sie</h2>
      <p><strong>Dies ist ein Feed.</strong> Ein Feedreader oder E-Mail-Programm kann ihn auf neue Einträge prüfen. So erfahren Sie, was neu ist, ohne die Website zu besuchen und ohne Konto. Fügen Sie sie in Ihren Feedreader oder in die Feed-Funktion Ihres E-Mail-Programms ein und abonnieren Sie.</p>
    </section>
    <section aria-labelledby="entries">
      <h2 id="entries">Latest entries</h2>
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
</xsl:template><xsl:template name="day">
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
  <xsl:choose>    <xsl:when test="$m = 1"><xsl:text>January </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 2"><xsl:text>February </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 3"><xsl:text>March </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 4"><xsl:text>April </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 5"><xsl:text>May </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 6"><xsl:text>June </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 7"><xsl:text>July </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 8"><xsl:text>August </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 9"><xsl:text>September </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 10"><xsl:text>October </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 11"><xsl:text>November </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:when test="$m = 12"><xsl:text>December </xsl:text><xsl:value-of select="$d"/><xsl:text>, </xsl:text><xsl:value-of select="$y"/></xsl:when>    <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
  </xsl:choose>
  </time>
</xsl:template>
</xsl:stylesheet>