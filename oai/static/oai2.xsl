<?xml version="1.0" encoding="UTF-8"?>
<!-- Turns every OAI-PMH response of Navette into a readable HTML page in a browser.
     EBUCore records are shown as the video library's data sheet. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:oai="http://www.openarchives.org/OAI/2.0/"
    xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:ebucore="urn:ebu:metadata-schema:ebucore"
    xmlns:prov="http://www.openarchives.org/OAI/2.0/provenance"
    xmlns:id="http://www.openarchives.org/OAI/2.0/oai-identifier"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="oai oai_dc dc ebucore prov id str">

  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="base" select="/oai:OAI-PMH/oai:request/text()"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <!-- libxslt's html output writes the charset meta itself (a second one is invalid) -->
        <title>OAI-PMH <xsl:value-of select="oai:OAI-PMH/oai:request/@verb"/></title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
          nav a { margin-right: 1rem; }
          table { border-collapse: collapse; width: 100%; }
          th, td { text-align: left; vertical-align: top; padding: .3rem .6rem; border-bottom: 1px solid #ddd; }
          th { width: 14rem; color: #555; font-weight: 600; }
          .sheet { border: 1px solid #ccc; padding: 1rem 1.5rem; margin: 1rem 0; }
          .facts { font-weight: 600; letter-spacing: .03em; }
          .error { color: #a00; }
          .deleted { color: #777; font-style: italic; }
          .label { color: #555; font-weight: 600; }
        </style>
      </head>
      <body>
        <header>
          <h1>OAI-PMH 2.0 repository</h1>
          <nav aria-label="Verbs">
            <a href="{$base}?verb=Identify">Identify</a>
            <a href="{$base}?verb=ListMetadataFormats">Metadata formats</a>
            <a href="{$base}?verb=ListSets">Sets</a>
            <a href="{$base}?verb=ListIdentifiers&amp;metadataPrefix=oai_dc">Identifiers</a>
            <a href="{$base}?verb=ListRecords&amp;metadataPrefix=ebucore">Records</a>
          </nav>
          <p>Response of <xsl:value-of select="oai:OAI-PMH/oai:responseDate"/> to
            <code><xsl:for-each select="oai:OAI-PMH/oai:request/@*"><xsl:value-of select="name()"/>=<xsl:value-of select="."/><xsl:text> </xsl:text></xsl:for-each></code></p>
        </header>
        <main>
          <xsl:apply-templates select="oai:OAI-PMH/oai:error"/>
          <xsl:apply-templates select="oai:OAI-PMH/oai:Identify | oai:OAI-PMH/oai:ListMetadataFormats | oai:OAI-PMH/oai:ListSets | oai:OAI-PMH/oai:GetRecord | oai:OAI-PMH/oai:ListRecords | oai:OAI-PMH/oai:ListIdentifiers"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="oai:error">
    <h2 class="error">Error <code><xsl:value-of select="@code"/></code></h2>
    <p class="error"><xsl:value-of select="."/></p>
  </xsl:template>

  <xsl:template match="oai:Identify">
    <h2>Identify</h2>
    <table>
      <xsl:for-each select="*[not(self::oai:description)]">
        <tr><th scope="row"><xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="oai:description/id:oai-identifier">
        <tr><th scope="row">sample identifier</th>
          <td><a href="{$base}?verb=GetRecord&amp;metadataPrefix=ebucore&amp;identifier={id:sampleIdentifier}"><xsl:value-of select="id:sampleIdentifier"/></a></td></tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListMetadataFormats">
    <h2>Metadata formats</h2>
    <table>
      <thead><tr><th scope="col">Prefix</th><th scope="col">Namespace</th><th scope="col">Schema</th></tr></thead>
      <tbody>
        <xsl:for-each select="oai:metadataFormat">
          <tr>
            <td><a href="{$base}?verb=ListRecords&amp;metadataPrefix={oai:metadataPrefix}"><xsl:value-of select="oai:metadataPrefix"/></a></td>
            <td><xsl:value-of select="oai:metadataNamespace"/></td>
            <td><xsl:call-template name="web-link"><xsl:with-param name="url" select="oai:schema"/></xsl:call-template></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListSets">
    <h2>Sets</h2>
    <table>
      <thead><tr><th scope="col">Set</th><th scope="col">Name</th><th scope="col">Description</th></tr></thead>
      <tbody>
        <xsl:for-each select="oai:set">
          <tr>
            <td><a href="{$base}?verb=ListRecords&amp;metadataPrefix=ebucore&amp;set={oai:setSpec}"><code><xsl:value-of select="oai:setSpec"/></code></a></td>
            <td><xsl:value-of select="oai:setName"/></td>
            <td><xsl:value-of select="oai:setDescription//dc:description"/></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:GetRecord | oai:ListRecords">
    <h2><xsl:value-of select="local-name()"/></h2>
    <xsl:apply-templates select="oai:record"/>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:ListIdentifiers">
    <h2>Identifiers</h2>
    <table>
      <thead><tr><th scope="col">Identifier</th><th scope="col">Datestamp</th><th scope="col">Sets</th></tr></thead>
      <tbody>
        <xsl:for-each select="oai:header">
          <tr>
            <td>
              <xsl:choose>
                <xsl:when test="@status='deleted'"><span class="deleted"><xsl:value-of select="oai:identifier"/> (deleted)</span></xsl:when>
                <xsl:otherwise><a href="{$base}?verb=GetRecord&amp;metadataPrefix=ebucore&amp;identifier={oai:identifier}"><xsl:value-of select="oai:identifier"/></a></xsl:otherwise>
              </xsl:choose>
            </td>
            <td><xsl:value-of select="oai:datestamp"/></td>
            <td><xsl:for-each select="oai:setSpec"><code><xsl:value-of select="."/></code><xsl:text> </xsl:text></xsl:for-each></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:resumptionToken">
    <p>
      <xsl:if test="@completeListSize">Items <xsl:value-of select="@cursor + 1"/> and on, of <xsl:value-of select="@completeListSize"/>. </xsl:if>
      <xsl:if test="normalize-space(.) != ''">
        <a href="{$base}?verb={/oai:OAI-PMH/oai:request/@verb}&amp;resumptionToken={.}">Next page</a>
      </xsl:if>
    </p>
  </xsl:template>

  <xsl:template match="oai:record">
    <article class="sheet">
      <p><code><xsl:value-of select="oai:header/oai:identifier"/></code>, datestamp <xsl:value-of select="oai:header/oai:datestamp"/>
        <xsl:if test="oai:header/@status='deleted'"> <span class="deleted">(deleted)</span></xsl:if></p>
      <xsl:apply-templates select="oai:metadata/*"/>
      <xsl:apply-templates select="oai:about/prov:provenance"/>
    </article>
  </xsl:template>

  <xsl:template match="oai_dc:dc">
    <h3><xsl:value-of select="dc:title[1]"/></h3>
    <table>
      <xsl:for-each select="dc:*">
        <tr><th scope="row"><xsl:value-of select="local-name()"/><xsl:if test="@xml:lang"> (<xsl:value-of select="@xml:lang"/>)</xsl:if></th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <!-- The data sheet, laid out like the video library's own. -->
  <xsl:template match="ebucore:ebuCoreMain">
    <xsl:variable name="core" select="ebucore:coreMetadata"/>
    <xsl:variable name="format" select="$core/ebucore:format"/>
    <h3><xsl:value-of select="$core/ebucore:title[1]/dc:title"/></h3>
    <xsl:for-each select="$core/ebucore:title[position() &gt; 1]/dc:title">
      <p lang="{@xml:lang}"><em><xsl:value-of select="."/></em></p>
    </xsl:for-each>
    <xsl:for-each select="$core/ebucore:alternativeTitle[@typeLabel='Series'][1]">
      <p><span class="label">Series : </span><xsl:value-of select="dc:title"/></p>
    </xsl:for-each>
    <p class="facts">
      <xsl:call-template name="clock"><xsl:with-param name="duration" select="$format/ebucore:duration/ebucore:normalPlayTime"/></xsl:call-template><xsl:text>  </xsl:text>
      <xsl:value-of select="$core/ebucore:date/ebucore:created/@year"/><xsl:text>  </xsl:text>
      <xsl:value-of select="$format/ebucore:videoFormat/@videoFormatDefinition"/><xsl:text> </xsl:text>
      <xsl:for-each select="$format/ebucore:videoFormat/ebucore:aspectRatio"><xsl:value-of select="ebucore:factorNumerator"/>/<xsl:value-of select="ebucore:factorDenominator"/></xsl:for-each><xsl:text>  </xsl:text>
      <xsl:choose>
        <xsl:when test="$format/ebucore:videoFormat/ebucore:technicalAttributeBoolean[@typeLabel='Colour'] = 'true'">Color</xsl:when>
        <xsl:when test="$format/ebucore:videoFormat/ebucore:technicalAttributeBoolean[@typeLabel='Colour'] = 'false'">Black and white</xsl:when>
      </xsl:choose><xsl:text>  </xsl:text>
      <xsl:choose>
        <xsl:when test="$format/ebucore:audioFormat/@audioPresenceFlag = 'true'">Sound</xsl:when>
        <xsl:when test="$format/ebucore:audioFormat/@audioPresenceFlag = 'false'">Silent</xsl:when>
      </xsl:choose>
    </p>
    <xsl:for-each select="$core/ebucore:description[@typeLabel='Abstract']/dc:description">
      <div lang="{@xml:lang}"><xsl:call-template name="paragraphs"><xsl:with-param name="text" select="."/></xsl:call-template></div>
    </xsl:for-each>
    <table>
      <xsl:for-each select="$core/ebucore:creator">
        <tr><th scope="row"><xsl:value-of select="ebucore:role/@typeLabel"/></th><td><xsl:apply-templates select="." mode="name"/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="$core/ebucore:description[@typeLabel='Audiovisual process']">
        <tr><th scope="row">Audiovisual process</th><td><xsl:call-template name="lines"><xsl:with-param name="text" select="dc:description"/></xsl:call-template></td></tr>
      </xsl:for-each>
      <xsl:if test="$core/ebucore:contributor[ebucore:contactDetails]">
        <tr><th scope="row">Personalities</th>
          <td><xsl:for-each select="$core/ebucore:contributor[ebucore:contactDetails]"><xsl:apply-templates select="." mode="name"/><xsl:if test="position() != last()">; </xsl:if></xsl:for-each></td></tr>
      </xsl:if>
      <xsl:for-each select="$core/ebucore:description[@typeLabel='Notes']">
        <tr><th scope="row">Notes</th><td><xsl:call-template name="lines"><xsl:with-param name="text" select="dc:description"/></xsl:call-template></td></tr>
      </xsl:for-each>
      <xsl:for-each select="$core/ebucore:rights[dc:rights]">
        <tr><th scope="row"><xsl:choose><xsl:when test="@typeLabel"><xsl:value-of select="@typeLabel"/></xsl:when><xsl:otherwise>Rights</xsl:otherwise></xsl:choose></th><td><xsl:value-of select="dc:rights"/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="$core/ebucore:rights/ebucore:exploitationIssues">
        <tr><th scope="row">Restriction</th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
      <xsl:if test="$core/ebucore:subject">
        <tr><th scope="row">Subjects</th><td><xsl:for-each select="$core/ebucore:subject/dc:subject"><xsl:value-of select="."/><xsl:if test="position() != last()">; </xsl:if></xsl:for-each></td></tr>
      </xsl:if>
    </table>
    <h4>Technical sheet</h4>
    <table>
      <xsl:for-each select="$core/ebucore:identifier[@typeLabel='Item No.']">
        <tr><th scope="row">Item No.</th><td><xsl:value-of select="dc:identifier"/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="$core/ebucore:type/ebucore:targetAudience">
        <tr><th scope="row">Public</th><td><xsl:value-of select="@typeLabel"/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="$format/ebucore:medium">
        <tr><th scope="row"><xsl:value-of select="@typeDefinition"/></th><td><xsl:value-of select="@typeLabel"/></td></tr>
      </xsl:for-each>
      <xsl:if test="$core/ebucore:contributor[ebucore:role/@typeLabel='Laboratory']">
        <tr><th scope="row">Laboratory</th>
          <td><xsl:for-each select="$core/ebucore:contributor[ebucore:role/@typeLabel='Laboratory']"><xsl:value-of select=".//dc:identifier"/><xsl:if test="position() != last()"> ; </xsl:if></xsl:for-each></td></tr>
      </xsl:if>
      <xsl:for-each select="$core/ebucore:identifier[@typeLabel='Landing page']">
        <tr><th scope="row">Landing page</th><td><xsl:call-template name="web-link"><xsl:with-param name="url" select="dc:identifier"/></xsl:call-template></td></tr>
      </xsl:for-each>
    </table>
    <xsl:if test="$core/ebucore:part[@typeLabel='Keyframe']">
      <h4>Storyboard</h4>
      <ul>
        <xsl:for-each select="$core/ebucore:part[@typeLabel='Keyframe']">
          <li><xsl:call-template name="web-link"><xsl:with-param name="url" select="ebucore:relation/ebucore:relationLink"/><xsl:with-param name="label" select="ebucore:partStartTime/ebucore:normalPlayTime"/></xsl:call-template></li>
        </xsl:for-each>
      </ul>
    </xsl:if>
  </xsl:template>

  <xsl:template match="ebucore:creator | ebucore:contributor" mode="name">
    <xsl:choose>
      <xsl:when test="ebucore:contactDetails">
        <xsl:value-of select="ebucore:contactDetails/ebucore:familyName"/><xsl:text> </xsl:text><xsl:value-of select="ebucore:contactDetails/ebucore:givenName"/>
        <xsl:if test="ebucore:contactDetails/ebucore:affiliation">(<xsl:for-each select="ebucore:contactDetails/ebucore:affiliation"><xsl:value-of select=".//ebucore:organisationName"/><xsl:if test="position() != last()">, </xsl:if></xsl:for-each>)</xsl:if>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="ebucore:organisationDetails/ebucore:organisationName"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="prov:provenance">
    <p><span class="label">Harvested </span><xsl:value-of select="prov:originDescription/@harvestDate"/> from
      <xsl:value-of select="prov:originDescription/prov:baseURL"/> (<code><xsl:value-of select="prov:originDescription/prov:identifier"/></code>)</p>
  </xsl:template>

  <!-- A link only to a web address: any other scheme (javascript:, data:) is shown as text. -->
  <xsl:template name="web-link">
    <xsl:param name="url"/>
    <xsl:param name="label" select="$url"/>
    <xsl:variable name="lower" select="translate(normalize-space($url), 'HTPS', 'htps')"/>
    <xsl:choose>
      <xsl:when test="starts-with($lower, 'http://') or starts-with($lower, 'https://')">
        <a href="{normalize-space($url)}"><xsl:value-of select="$label"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$label"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- An xs:duration (PT9M52S) as the data sheet writes it (00:09:52). -->
  <xsl:template name="clock">
    <xsl:param name="duration"/>
    <xsl:variable name="time" select="substring-after($duration, 'T')"/>
    <xsl:choose>
      <xsl:when test="starts-with($duration, 'PT') and $time">
        <xsl:variable name="h" select="substring-before($time, 'H')"/>
        <xsl:variable name="ms">
          <xsl:choose>
            <xsl:when test="contains($time, 'H')"><xsl:value-of select="substring-after($time, 'H')"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$time"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:variable name="m" select="substring-before($ms, 'M')"/>
        <xsl:variable name="seconds">
          <xsl:choose>
            <xsl:when test="contains($ms, 'M')"><xsl:value-of select="substring-before(substring-after($ms, 'M'), 'S')"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="substring-before($ms, 'S')"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:value-of select="format-number(number(concat('0', $h)), '00')"/>:<xsl:value-of select="format-number(number(concat('0', $m)), '00')"/>:<xsl:value-of select="format-number(floor(number(concat('0', $seconds))), '00')"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$duration"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Text with line breaks as paragraphs, one a line (EXSLT's split: linear in the
       text, where a template calling itself per line is quadratic and runs out of depth). -->
  <xsl:template name="paragraphs">
    <xsl:param name="text"/>
    <xsl:for-each select="str:split(string($text), '&#10;')[normalize-space()]">
      <p><xsl:value-of select="."/></p>
    </xsl:for-each>
  </xsl:template>

  <!-- Text with line breaks, line by line. -->
  <xsl:template name="lines">
    <xsl:param name="text"/>
    <xsl:for-each select="str:split(string($text), '&#10;')">
      <xsl:if test="position() &gt; 1"><br/></xsl:if><xsl:value-of select="."/>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
