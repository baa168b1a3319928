/* pycocoevalcap's PTBTokenizer without Java.
 *
 * Stanford's PTBLexer (CoreNLP 3.4.1) is a JFlex scanner: at each position
 * the longest match over all its rules wins (trailing context r1/r2 counts
 * towards the length; yytext is r1), ties go to the earlier rule, and the
 * rule's action turns yytext into a token, or into nothing. This file holds
 * the same macros and rules, translated to PCRE2 syntax, and emulates that
 * scanner with PCRE2's DFA matcher, which reports every match length at a
 * position. JFlex's %caseless applies to literal text but not to character
 * classes: literals are written (?i:...), classes stay case-sensitive.
 *
 * Around the lexer, as pycocoevalcap + PTBTokenizer -preserveLines -lowerCase
 * do: '\n' becomes a space first; each token is lowercased as Java's
 * String.toLowerCase; tokens equal to one of pycocoevalcap's punctuation
 * marks are dropped; the rest are joined by single spaces. Line breaks (which
 * the Java pipeline turns into extra output lines, shifting every following
 * caption) only separate tokens here. docs/tokenizer.md lists every rule. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "text/ptb_tokenizer.h"
#include "text/unicode_lower.h"

/* ---- macros (PTBLexer.flex, 3.4.1), PCRE2 syntax; {NAME} expands ------- */

typedef struct macro {
  const char *name, *body;
} macro;

static const macro macros[] = {
    {"SGML", "<(?:[!?][A-Za-z\\-][^>\\r\\n]*|[A-Za-z][A-Za-z0-9_:.\\-]*(?:[ ]+(?:[A-Za-z][A-Za-z0-9_:.\\-]*"
             "|[A-Za-z][A-Za-z0-9_:.\\-]*[ ]*=[ ]*(?:'[^']*'|\"[^\"]*\")))*[ ]*/?|/[A-Za-z][A-Za-z0-9_:.\\-]*)[ ]*>"},
    {"SPMDASH", "&(?i:MD|mdash|ndash);|[\\x{96}\\x{97}\\x{2013}\\x{2014}\\x{2015}]"},
    {"SPAMP", "&(?i:amp);"},
    {"SPPUNC", "&(?i:HT|TL|UR|LR|QC|QL|QR|odq|cdq|#[0-9]+);"},
    {"SPLET", "&[aeiouAEIOU](?i:acute|grave|uml);"},
    {"SPACE", "[ \\t\\x{A0}\\x{2000}-\\x{200A}\\x{3000}]"},
    {"SPACES", "{SPACE}+"},
    {"NEWLINE", "\\r|\\r?\\n|\\x{2028}|\\x{2029}|\\x{0B}|\\x{0C}|\\x{85}"},
    {"SPACENL", "{SPACE}|{NEWLINE}"},
    {"SPACENLS", "{SPACENL}+"},
    {"SENTEND", "{SPACENL}(?:{SPACENL}|\\p{Lu}|{SGML})"},
    {"DIGIT", "\\p{Nd}|[\\x{7C0}-\\x{7C9}]"},
    {"DATE", "{DIGIT}{1,2}[\\-/]{DIGIT}{1,2}[\\-/]{DIGIT}{2,4}"},
    {"NUM", "{DIGIT}+|{DIGIT}*(?:[.:,\\x{AD}\\x{66B}\\x{66C}]{DIGIT}+)+"},
    {"NUMBER", "[\\-+]?{NUM}"},
    {"SUBSUPNUM", "[\\x{207A}\\x{207B}\\x{208A}\\x{208B}]?(?:[\\x{2070}\\x{B9}\\x{B2}\\x{B3}\\x{2074}-\\x{2079}]+"
                  "|[\\x{2080}-\\x{2089}]+)"},
    {"FRAC", "(?:{DIGIT}{1,4}[\\- \\x{A0}])?{DIGIT}{1,4}(?:\\\\?/|\\x{2044}){DIGIT}{1,4}"},
    {"FRAC2", "[\\x{BC}\\x{BD}\\x{BE}\\x{2153}-\\x{215E}]"},
    {"DOLSIGN", "[A-Z]*\\$|#"},
    {"DOLSIGN2", "[\\x{A2}\\x{A3}\\x{A4}\\x{A5}\\x{80}\\x{20A0}\\x{20AC}\\x{60B}\\x{E3F}\\x{20A4}\\x{FFE0}"
                 "\\x{FFE1}\\x{FFE5}\\x{FFE6}]"},
    {"LETTER", "\\p{L}|{SPLET}|[\\x{00AD}\\x{0237}-\\x{024F}\\x{02C2}-\\x{02C5}\\x{02D2}-\\x{02DF}\\x{02E5}-\\x{02FF}\\x{0300}-\\x{036F}\\x{0370}-\\x{037D}\\x{0384}\\x{0385}\\x{03CF}\\x{03F6}\\x{03FC}-\\x{03FF}\\x{0483}-\\x{0487}\\x{04CF}\\x{04F6}-\\x{04FF}\\x{0510}-\\x{0525}\\x{055A}-\\x{055F}\\x{0591}-\\x{05BD}\\x{05BF}\\x{05C1}\\x{05C2}\\x{05C4}\\x{05C5}\\x{05C7}\\x{0615}-\\x{061A}\\x{063B}-\\x{063F}\\x{064B}-\\x{065E}\\x{0670}\\x{06D6}-\\x{06EF}\\x{06FA}-\\x{06FF}\\x{070F}\\x{0711}\\x{0730}-\\x{074F}\\x{0750}-\\x{077F}\\x{07A6}-\\x{07B1}\\x{07CA}-\\x{07F5}\\x{07FA}\\x{0900}-\\x{0903}\\x{093C}\\x{093E}-\\x{094E}\\x{0951}-\\x{0955}\\x{0962}-\\x{0963}\\x{0981}-\\x{0983}\\x{09BC}-\\x{09C4}\\x{09C7}\\x{09C8}\\x{09CB}-\\x{09CD}\\x{09D7}\\x{09E2}\\x{09E3}\\x{0A01}-\\x{0A03}\\x{0A3C}\\x{0A3E}-\\x{0A4F}\\x{0A81}-\\x{0A83}\\x{0ABC}-\\x{0ACF}\\x{0B82}\\x{0BBE}-\\x{0BC2}\\x{0BC6}-\\x{0BC8}\\x{0BCA}-\\x{0BCD}\\x{0C01}-\\x{0C03}\\x{0C3E}-\\x{0C56}\\x{0D3E}-\\x{0D44}\\x{0D46}-\\x{0D48}\\x{0E30}-\\x{0E3A}\\x{0E47}-\\x{0E4E}\\x{0EB1}-\\x{0EBC}\\x{0EC8}-\\x{0ECD}]"},
    {"WORD", "{LETTER}(?:{LETTER}|{DIGIT})*(?:[.!?]{LETTER}(?:{LETTER}|{DIGIT})*)*"},
    {"FILENAME_EXT", "(?i:bat|bmp|c|class|cgi|cpp|dll|doc|docx|exe|gif|gz|h|htm|html|jar|java|jpeg|jpg"
                     "|mov|mp3|pdf|php|pl|png|ppt|ps|py|sql|tar|txt|wav|x|xml|zip)"},
    {"FILENAME", "(?:{LETTER}|{DIGIT})+(?:[.](?:{LETTER}|{DIGIT})+)*[.]{FILENAME_EXT}"},
    {"THING", "(?:[dDoOlL]{APOSETCETERA}(?:\\p{L}|\\p{Nd}))?(?:\\p{L}|\\p{Nd})+"
              "(?:{HYPHEN}(?:[dDoOlL]{APOSETCETERA}(?:\\p{L}|\\p{Nd}))?(?:\\p{L}|\\p{Nd})+)*"},
    {"THINGA", "[A-Z]+(?:(?:[+&]|{SPAMP})[A-Z]+)+"},
    {"THING3", "[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}(?:\\\\?/[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}){1,2}"},
    {"APOS", "['\\x{92}\\x{2019}]|&(?i:apos);"},
    {"APOSETCETERA", "{APOS}|[`\\x{91}\\x{2018}\\x{201B}]"},
    {"HTHING", "[A-Za-z0-9][A-Za-z0-9.,\\x{AD}]*(?:-(?:[A-Za-z0-9\\x{AD}]+|{ACRO2}\\.))+"},
    {"REDAUX", "{APOS}(?:[msdMSD]|(?i:re|ve|ll))"},
    {"SWORD", "[A-Za-z\\x{AD}]*[A-MO-Za-mo-z]\\x{AD}*"},
    {"SREDAUX", "(?i:n){APOSETCETERA}(?i:t)"},
    {"APOWORD", "{APOS}(?i:n){APOS}?|[lLdDjJ]{APOS}|(?i:Dunkin){APOS}|(?i:somethin){APOS}|(?i:ol){APOS}"
                "|{APOS}(?i:em)|[A-HJ-XZn]{APOSETCETERA}\\p{L}{2}\\p{L}*|{APOS}[2-9]0(?i:s)|{APOS}(?i:till?)"
                "|\\p{L}\\p{L}*[aeiouyAEIOUY]{APOSETCETERA}[aeiouA-Z]\\p{L}*|{APOS}(?i:cause)|(?i:cont'd)\\.?"
                "|(?i:'twas|nor'easter|c'mon|e'er|s'mores|ev'ry|li'l|nat'l)|(?i:O){APOSETCETERA}(?i:o)"},
    {"APOWORD2", "(?i:y){APOS}"},
    {"FULLURL", "(?i:https?)://[^ \\t\\n\\f\\r\"<>|(){}]+[^ \\t\\n\\f\\r\"<>|.!?(){},\\-]"},
    /* [...,-_$] in the JFlex source is the range ',' .. '_' */
    {"LIKELYURL", "(?:(?i:www)\\.(?:[^ \\t\\n\\f\\r\"<>|.!?(){},]+\\.)+[a-zA-Z]{2,4}"
                  "|(?:[^ \\t\\n\\f\\r\"`'<>|.!?(){}\\x{2C}-\\x{5F}$]+\\.)+(?i:com|net|org|edu))"
                  "(?:/[^ \\t\\n\\f\\r\"<>|()]+[^ \\t\\n\\f\\r\"<>|.!?(){},\\-])?"},
    {"EMAIL", "(?:(?i:&lt;)|<)?[a-zA-Z0-9][^ \\t\\n\\f\\r\"<>|()\\x{A0}{}]*@(?:[^ \\t\\n\\f\\r\"<>|(){}.\\x{A0}]+\\.)*"
              "[^ \\t\\n\\f\\r\"<>|(){}.\\x{A0}]+(?:(?i:&gt;)|>)?"},
    {"TWITTER", "@[a-zA-Z_][a-zA-Z_0-9]*|#{LETTER}+"},
    {"ABSTATE", "(?i:Ala|Ariz)|A(?i:z)|A(?i:rk)|(?i:Calif|Colo|Conn|Ct|Dak)|D(?i:el)|(?i:Fla|Ga)|I(?i:ll)"
                "|(?i:Ind|Kans?|Ky)|L(?i:a)|M(?i:ass)|(?i:Md|Mich|Minn)|M(?i:iss)|(?i:Mo|Mont|Neb|Nev|Okla)"
                "|O(?i:re)|P(?i:a)|(?i:Penn|Tenn)|T(?i:ex)|(?i:Va|Vt)|W(?i:ash)|(?i:Wisc?|Wyo)"},
    {"ABCOMP", "(?i:Inc|Cos?|Corp)|(?i:Pp?t)[ye](?i:s?)|(?i:Ltd|Plc|Rt|Bancorp|Bhd|Assn|Univ|Intl|Sys)"},
    {"ABPTIT", "(?i:Jr|Sr|Bros|(?:Ed|Ph)\\.D|Blvd|Rd|Esq)"},
    {"ABBREV1", "(?:(?i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|(?i:Mon|Tue|Tues|Wed|Thu|Thurs|Fri)"
                "|{ABSTATE}|{ABCOMP}|(?i:tel|est|ext|sq)|{ABPTIT}|(?i:etc|al|seq|Bldg))\\."},
    {"ACRO", "[A-Za-z](?:\\.[A-Za-z])*|(?i:Canada|Sino|Korean|EU|Japan|non)-(?i:U\\.S)"
             "|(?i:U\\.S\\.-(?:U\\.K|U\\.S\\.S\\.R))"},
    {"ACRO2", "[A-Za-z](?:\\.[A-Za-z])+|(?i:Canada|Sino|Korean|EU|Japan|non)-(?i:U\\.S)"
              "|(?i:U\\.S\\.-(?:U\\.K|U\\.S\\.S\\.R))"},
    {"ABTITLE", "(?i:Mr|Mrs|Ms)|M(?i:iss)|(?i:Drs?|Profs?|Sens?|Reps?|Attys?|Lt|Col|Gen|Messrs|Govs?|Adm|Rev"
                "|Maj|Sgt|Cpl|Pvt|Capt|Ste?|Ave|Pres|Lieut|Hon|Brig|Co?mdr|Pfc|Spc|Supts?|Det|Mt|Ft|Adj|Adv"
                "|Asst|Assoc|Ens|Insp|Mlle|Mme|Msgr|Sfc)"},
    {"ABCOMP2", "(?i:Invt|Elec|Natl)|(?i:M)[ft](?i:g)|(?i:Dept)"},
    {"ABBREV4", "{ABTITLE}|(?i:vs|Alex|Wm|Jos|Cie|a\\.k\\.a|cf|TREAS|Ph)|{ACRO}|{ABCOMP2}"},
    {"ABBREV2", "{ABBREV4}\\."},
    {"ACRONYM", "{ACRO}\\."},
    {"ABBREV3", "(?i:ca|figs?|prop|nos?|art|bldg|prop|pp|op)\\."},
    {"PHONE", "(?:\\([0-9]{2,3}\\)[ \\x{A0}]?|(?:\\+\\+?)?(?:[0-9]{2,4}[\\- \\x{A0}])?[0-9]{2,4}[\\- \\x{A0}])"
              "[0-9]{3,4}[\\- \\x{A0}]?[0-9]{3,5}|(?:(?:\\+\\+?)?[0-9]{2,4}\\.)?[0-9]{2,4}\\.[0-9]{3,4}\\.[0-9]{3,5}"},
    {"HYPHEN", "[\\-_\\x{58A}\\x{2010}\\x{2011}]"},
    {"LDOTS", "\\.{3,5}|(?:\\.[ \\x{A0}]){2,4}\\.|[\\x{85}\\x{2026}]"},
    {"INSENTP", "[,;:\\x{3001}]"},
    {"QUOTES", "{APOS}|''|[`\\x{2018}\\x{2019}\\x{201A}\\x{201B}\\x{201C}\\x{201D}\\x{91}\\x{92}\\x{93}\\x{94}"
               "\\x{201E}\\x{201F}\\x{2039}\\x{203A}\\x{AB}\\x{BB}]{1,2}"},
    {"DBLQUOT", "\"|(?i:&quot;)"},
    {"TBSPEC", "(?i:-(?:RRB|LRB|RCB|LCB|RSB|LSB)-|C\\.D\\.s|pro-|anti-|S(?:&|&amp;)P-500|S(?:&|&amp;)Ls)"
               "|(?i:Cap){APOS}(?i:n)|(?i:c){APOS}(?i:est)"},
    {"TBSPEC2", "{APOS}[0-9][0-9]"},
    {"SMILEY", "[<>]?[:;=][\\-o*']?[()DPdpO\\\\{@|\\[\\]]"},
    /* the first alternative is literal text in the JFlex source (an escaped '[') */
    {"ASIANSMILEY", "[\\^x=~<>]\\.\\[\\^x=~<>\\]|[\\-\\^x=~<>']_[\\-\\^x=~<>']"
                    "|\\([\\-\\^x=~<>'][_.]?[\\-\\^x=~<>']\\)|\\([\\^x=~<>']-[\\^x=~<>'`]\\)"},
    {"MISCSYMBOL", "[+%&~\\^|\\\\\\x{00A6}\\x{00A7}\\x{00A8}\\x{00A9}\\x{00AC}\\x{00AE}\\x{00AF}\\x{00B0}-\\x{00B3}\\x{00B4}-\\x{00BA}\\x{00D7}\\x{00F7}\\x{0387}\\x{05BE}\\x{05C0}\\x{05C3}\\x{05C6}\\x{05F3}\\x{05F4}\\x{0600}-\\x{0603}\\x{0606}-\\x{060A}\\x{060C}\\x{0614}\\x{061B}\\x{061E}\\x{066A}\\x{066D}\\x{0703}-\\x{070D}\\x{07F6}\\x{07F7}\\x{07F8}\\x{0964}\\x{0965}\\x{0E4F}\\x{1FBD}\\x{2016}\\x{2017}\\x{2020}-\\x{2023}\\x{2030}-\\x{2038}\\x{203B}\\x{203E}-\\x{2042}\\x{2044}\\x{207A}-\\x{207F}\\x{208A}-\\x{208E}\\x{2100}-\\x{214F}\\x{2190}-\\x{21FF}\\x{2200}-\\x{2BFF}\\x{3012}\\x{30FB}\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF20}\\x{FF3B}-\\x{FF40}\\x{FF5B}-\\x{FF65}\\x{FF65}]"},
    {"ACRONYM_NEXT", "A(?i:bout)|A(?i:ccording)|A(?i:dditionally)|A(?i:fter)|A(?i:n)|A|A(?i:s)|A(?i:t)|B(?i:ut)"
                     "|E(?i:arlier)|H(?i:e)|H(?i:er)|H(?i:ere)|H(?i:owever)|I(?i:f)|I(?i:n)|I(?i:t)|L(?i:ast)"
                     "|M(?i:any)|M(?i:ore)|M(?i:r\\.)|M(?i:s\\.)|N(?i:ow)|O(?i:nce)|O(?i:ne)|O(?i:ther)|O(?i:ur)"
                     "|S(?i:he)|S(?i:ince)|S(?i:o)|S(?i:ome)|S(?i:uch)|T(?i:hat)|T(?i:he)|T(?i:heir)|T(?i:hen)"
                     "|T(?i:here)|T(?i:hese)|T(?i:hey)|T(?i:his)|W(?i:e)|W(?i:hen)|W(?i:hile)|W(?i:hat)|Y(?i:et)"
                     "|Y(?i:ou)|{SGML}"},
};

/* ---- rules, in PTBLexer.flex order (the YyTraditionalTreebank3 state) ---- */

typedef enum action {
  KEEP,         /* the matched text */
  SOFT_HYPHENS, /* without U+00AD ("-" if nothing is left) */
  AMP,          /* &amp; -> & */
  NBSP,         /* ' ' -> U+00A0 */
  PHONE_TEXT,   /* ' ' -> U+00A0, ( ) -> -LRB- -RRB- */
  PARENS,       /* ( ) -> -LRB- -RRB- */
  QUOTE_LEFT,   /* LaTeX quotes, ' and " read as opening */
  QUOTE_RIGHT,  /* LaTeX quotes, ' and " read as closing */
  FIXED,        /* the rule's fixed text */
  FRACTION,     /* U+00BC.. -> 1/4 ... */
  CURRENCY,     /* cents, pound -> #, euro & co -> $ */
  DASHES,       /* 3 or 4 hyphens -> -- */
  ACRONYM_END,  /* "I." -> "I" then "."; longer: keep, then "." again */
  PERIOD_AGAIN, /* keep, then lex the final period again */
  IGNORE,       /* whitespace, line breaks, &nbsp;, DEL */
  UNTOKENIZABLE /* deleted, as -untokenizable firstDelete does */
} action;

typedef struct rule {
  const char *r1, *r2; /* r2: trailing context or NULL */
  unsigned char action;
  unsigned char pushback; /* characters given back after the match */
  const char *text;       /* FIXED */
} rule;

static const rule rules[] = {
    {"(?i:c\\+\\+)", NULL, KEEP, 0, NULL},
    {"(?i:c|f)#", NULL, KEEP, 0, NULL},
    {"(?i:cannot)", NULL, KEEP, 3, NULL},
    {"(?i:'twas)", NULL, KEEP, 3, NULL},
    {"(?i:'tis)", NULL, KEEP, 2, NULL},
    {"(?i:gonna|gotta|lemme|gimme|wanna)", NULL, KEEP, 2, NULL},
    {"{SGML}", NULL, NBSP, 0, NULL},
    {"{SPMDASH}", NULL, FIXED, 0, "--"},
    {"{SPAMP}", NULL, AMP, 0, NULL},
    {"{SPPUNC}", NULL, KEEP, 0, NULL},
    {"{WORD}", "{REDAUX}", SOFT_HYPHENS, 0, NULL},
    {"{SWORD}", "{SREDAUX}", SOFT_HYPHENS, 0, NULL},
    {"{WORD}", NULL, SOFT_HYPHENS, 0, NULL},
    {"{APOWORD}", NULL, KEEP, 0, NULL},
    {"{APOWORD2}", "\\p{L}", KEEP, 0, NULL},
    {"{FULLURL}", NULL, KEEP, 0, NULL},
    {"{LIKELYURL}", NULL, KEEP, 0, NULL},
    {"{EMAIL}", NULL, KEEP, 0, NULL},
    {"{TWITTER}", NULL, KEEP, 0, NULL},
    {"{REDAUX}", "[^A-Za-z]", QUOTE_RIGHT, 0, NULL},
    {"{SREDAUX}", "[^A-Za-z]", QUOTE_RIGHT, 0, NULL},
    {"{DATE}", NULL, KEEP, 0, NULL},
    {"{NUMBER}", NULL, SOFT_HYPHENS, 0, NULL},
    {"{SUBSUPNUM}", NULL, KEEP, 0, NULL},
    {"{FRAC}", NULL, NBSP, 0, NULL},
    {"{FRAC2}", NULL, FRACTION, 0, NULL},
    {"{TBSPEC}", NULL, AMP, 0, NULL},
    {"{THING3}", NULL, KEEP, 0, NULL},
    {"{DOLSIGN}", NULL, KEEP, 0, NULL},
    {"{DOLSIGN2}", NULL, CURRENCY, 0, NULL},
    {"{ACRONYM}", "{SPACENLS}(?:{ACRONYM_NEXT}){SPACENL}", ACRONYM_END, 0, NULL},
    {"{ABBREV3}", "{SPACENL}?\\p{Nd}", KEEP, 0, NULL},
    {"(?:(?i:pt)[eyEY]|(?i:co))\\.", "{SPACE}(?i:ltd|lim)", KEEP, 0, NULL},
    {"{ABBREV1}", "{SENTEND}", PERIOD_AGAIN, 0, NULL},
    {"{ABBREV1}", "[\\s\\S][\\s\\S]", KEEP, 0, NULL},
    {"{ABBREV1}", NULL, PERIOD_AGAIN, 0, NULL},
    {"{ABBREV2}", NULL, KEEP, 0, NULL},
    {"{ABBREV4}", "{SPACE}", KEEP, 0, NULL},
    {"{ACRO}", "{SPACENL}", KEEP, 0, NULL},
    {"{TBSPEC2}", "{SPACENL}", KEEP, 0, NULL},
    {"{FILENAME}", "{SPACENL}|[.?!,]", KEEP, 0, NULL},
    {"{WORD}\\.", "{INSENTP}", SOFT_HYPHENS, 0, NULL},
    {"{PHONE}", NULL, PHONE_TEXT, 0, NULL},
    {"{DBLQUOT}", "[A-Za-z0-9$]", QUOTE_LEFT, 0, NULL},
    {"{DBLQUOT}", NULL, QUOTE_RIGHT, 0, NULL},
    {"\\x{7F}", NULL, IGNORE, 0, NULL},
    {"<|(?i:&lt;)", NULL, FIXED, 0, "<"},
    {">|(?i:&gt;)", NULL, FIXED, 0, ">"},
    {"{SMILEY}", "[^A-Za-z0-9]", PARENS, 0, NULL},
    {"{ASIANSMILEY}", NULL, PARENS, 0, NULL},
    {"\\{", NULL, FIXED, 0, "-LCB-"},
    {"\\}", NULL, FIXED, 0, "-RCB-"},
    {"\\[", NULL, FIXED, 0, "-LSB-"},
    {"\\]", NULL, FIXED, 0, "-RSB-"},
    {"\\(", NULL, FIXED, 0, "-LRB-"},
    {"\\)", NULL, FIXED, 0, "-RRB-"},
    {"\\-+", NULL, DASHES, 0, NULL},
    {"{LDOTS}", NULL, FIXED, 0, "..."},
    {"@+|#+|_+", NULL, KEEP, 0, NULL},
    {"\\*+|(?:\\\\\\*){1,3}", NULL, KEEP, 0, NULL},
    {"{INSENTP}", NULL, KEEP, 0, NULL},
    {"[?!]+", NULL, KEEP, 0, NULL},
    {"[.\\x{A1}\\x{BF}\\x{37E}\\x{589}\\x{61F}\\x{6D4}\\x{700}-\\x{702}\\x{7FA}\\x{3002}]", NULL, KEEP, 0, NULL},
    {"=", NULL, KEEP, 0, NULL},
    {"/", NULL, KEEP, 0, NULL},
    {"{HTHING}\\.", "{INSENTP}", SOFT_HYPHENS, 0, NULL},
    {"{HTHING}", NULL, SOFT_HYPHENS, 0, NULL},
    {"{THING}\\.", "{INSENTP}", KEEP, 0, NULL},
    {"{THING}", NULL, KEEP, 0, NULL},
    {"{THINGA}\\.", "{INSENTP}", AMP, 0, NULL},
    {"{THINGA}", NULL, AMP, 0, NULL},
    {"'", "[A-Za-z][^ \\t\\n\\r\\x{A0}]", QUOTE_LEFT, 0, NULL},
    {"{REDAUX}", NULL, QUOTE_RIGHT, 0, NULL},
    {"{SREDAUX}", NULL, QUOTE_RIGHT, 0, NULL},
    {"{QUOTES}", NULL, QUOTE_RIGHT, 0, NULL},
    {"<<|>>", NULL, KEEP, 0, NULL},
    {"{MISCSYMBOL}", NULL, KEEP, 0, NULL},
    {"\\x{00}|{SPACES}|[\\x{200B}\\x{200E}\\x{200F}\\x{FEFF}]", NULL, IGNORE, 0, NULL},
    {"{NEWLINE}", NULL, IGNORE, 0, NULL},
    {"(?i:&nbsp;)", NULL, IGNORE, 0, NULL},
    {"[^\\n]", NULL, UNTOKENIZABLE, 0, NULL},
};
#define N_RULES (sizeof rules / sizeof rules[0])

/* pycocoevalcap's PUNCTUATIONS, compared with lowercased tokens: its
 * "-LRB-" ... never match and are left out. */
static const char *const punctuation[] = {"''", "'", "``", "`", ".", "?", "!", ",", ":", "-", "--", "...", ";"};

/* ---- compiled state -------------------------------------------------------- */

/* Whether a plain word is an abbreviation when followed by a final ".": the
 * answer depends on the word's bytes only (see plain_word), and a caption
 * corpus ends in few distinct words, so it is remembered. Direct-mapped:
 * a collision overwrites. */
#define ABBREV_CACHE 4096
#define ABBREV_WORD 23
typedef struct abbrev_entry {
  char word[ABBREV_WORD];
  unsigned char len; /* 0: empty */
  unsigned char is_abbrev;
} abbrev_entry;

typedef struct compiled {
  pcre2_code *whole; /* r1 r2 */
  pcre2_code *head;  /* r1, for rules with trailing context */
  pcre2_code *tail;  /* r2 */
  uint8_t first[32]; /* bytes a match can start with (all set: unknown) */
} compiled;

struct p2ci_ptb {
  compiled rule[N_RULES];
  pcre2_code *abbrev; /* {ABBREV1}|{ABBREV2}: the only rules that keep "word." whole */
  int no_shortcuts;   /* tests: every token through the rules */
  abbrev_entry abbrev_cache[ABBREV_CACHE];
  pcre2_match_data *md;
  int *workspace;
  size_t ws_size;
  char *text; /* the input with '\n' -> ' ' */
  size_t text_cap;
  char *tok; /* the current token after its action */
  size_t tok_cap, tok_len;
  char *out;
  size_t out_cap, out_len;
  p2c_error err;
};

/* Expand {NAME} references (each into a non-capturing group). */
static int expand(const char *src, char **buf, size_t *len, size_t *cap, int depth)
{
  if (depth > 20) return P2C_ERR_INTERNAL;
  for (const char *p = src; *p; p++) {
    if (*p == '\\' && p[1]) {
      /* an escape; \p{..} and \x{..} keep their braces */
      size_t n = 2;
      if ((p[1] == 'p' || p[1] == 'P' || p[1] == 'x') && p[2] == '{') n = (size_t)(strchr(p, '}') - p) + 1;
      if (p2ci_grow(buf, cap, *len + n + 1, 1)) return P2C_ERR_NOMEM;
      memcpy(*buf + *len, p, n);
      *len += n;
      p += n - 1;
      continue;
    }
    if (*p == '{' && p[1] >= 'A' && p[1] <= 'Z') {
      const char *end = strchr(p, '}');
      size_t n = (size_t)(end - p - 1);
      const macro *m = NULL;
      for (size_t i = 0; i < sizeof macros / sizeof macros[0]; i++)
        if (strlen(macros[i].name) == n && !memcmp(macros[i].name, p + 1, n)) m = &macros[i];
      if (!m) return P2C_ERR_INTERNAL;
      if (p2ci_grow(buf, cap, *len + 4, 1)) return P2C_ERR_NOMEM;
      memcpy(*buf + *len, "(?:", 3);
      *len += 3;
      int rc = expand(m->body, buf, len, cap, depth + 1);
      if (rc) return rc;
      if (p2ci_grow(buf, cap, *len + 2, 1)) return P2C_ERR_NOMEM;
      (*buf)[(*len)++] = ')';
      p = end;
      continue;
    }
    if (p2ci_grow(buf, cap, *len + 2, 1)) return P2C_ERR_NOMEM;
    (*buf)[(*len)++] = *p;
  }
  return P2C_OK;
}

static int compile(const char *r1, const char *r2, pcre2_code **out, p2c_error *err)
{
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int rc = expand(r1, &buf, &len, &cap, 0);
  if (!rc && r2) {
    /* r1 and r2 as groups, so that alternations stay inside them */
    char *b2 = NULL;
    size_t l2 = 0, c2 = 0;
    rc = expand(r2, &b2, &l2, &c2, 0);
    if (!rc && (p2ci_grow(&buf, &cap, len + l2 + 16, 1))) rc = P2C_ERR_NOMEM;
    if (!rc) {
      memmove(buf + 3, buf, len);
      memcpy(buf, "(?:", 3);
      len += 3;
      memcpy(buf + len, ")(?:", 4);
      len += 4;
      memcpy(buf + len, b2, l2);
      len += l2;
      buf[len++] = ')';
    }
    free(b2);
  }
  if (rc) {
    free(buf);
    return p2ci_error(err, rc, "PTB tokenizer: cannot expand the rule %s", r1);
  }
  int code;
  PCRE2_SIZE off;
  *out = pcre2_compile((PCRE2_SPTR)buf, len, PCRE2_UTF | PCRE2_NO_UTF_CHECK, &code, &off, NULL);
  if (!*out) {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(code, msg, sizeof msg);
    rc = p2ci_error(err, P2C_ERR_INTERNAL, "PTB tokenizer: rule %s: %s at %zu", r1, (char *)msg,
                    (size_t)off);
  }
  free(buf);
  return rc;
}

int p2ci_ptb_create(p2ci_ptb **out, p2c_error *err)
{
  *out = NULL;
  p2ci_ptb *t = calloc(1, sizeof *t);
  if (!t) return p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  int rc = P2C_OK;
  for (size_t i = 0; i < N_RULES && !rc; i++) {
    const rule *r = &rules[i];
    compiled *c = &t->rule[i];
    rc = compile(r->r1, r->r2, &c->whole, err);
    if (!rc && r->r2) rc = compile(r->r1, NULL, &c->head, err);
    if (!rc && r->r2) rc = compile(r->r2, NULL, &c->tail, err);
    if (rc) break;
    /* the bytes a match can start with, when PCRE2 knows them */
    uint8_t *bits = NULL;
    uint32_t fcu = 0, flags = 0;
    memset(c->first, 0xff, sizeof c->first);
    if (pcre2_pattern_info(c->whole, PCRE2_INFO_FIRSTBITMAP, &bits) == 0 && bits) {
      memcpy(c->first, bits, sizeof c->first);
    } else if (pcre2_pattern_info(c->whole, PCRE2_INFO_FIRSTCODETYPE, &flags) == 0 && flags == 1 &&
               pcre2_pattern_info(c->whole, PCRE2_INFO_FIRSTCODEUNIT, &fcu) == 0) {
      /* PCRE2 reports a caseless first letter by one of its cases */
      memset(c->first, 0, sizeof c->first);
      c->first[fcu / 8] |= (uint8_t)(1u << (fcu % 8));
      if ((fcu | 0x20) >= 'a' && (fcu | 0x20) <= 'z') {
        uint32_t other = fcu ^ 0x20;
        c->first[other / 8] |= (uint8_t)(1u << (other % 8));
      }
    }
  }
  if (!rc) rc = compile("{ABBREV1}|{ABBREV2}", NULL, &t->abbrev, err);
  t->md = pcre2_match_data_create(64, NULL);
  t->ws_size = 4096;
  t->workspace = malloc(t->ws_size * sizeof *t->workspace);
  if (!rc && (!t->md || !t->workspace)) rc = p2ci_error(err, P2C_ERR_NOMEM, "out of memory");
  if (rc) {
    p2ci_ptb_free(t);
    return rc;
  }
  *out = t;
  return P2C_OK;
}

void p2ci_ptb_free(p2ci_ptb *t)
{
  if (!t) return;
  for (size_t i = 0; i < N_RULES; i++) {
    pcre2_code_free(t->rule[i].whole);
    pcre2_code_free(t->rule[i].head);
    pcre2_code_free(t->rule[i].tail);
  }
  pcre2_code_free(t->abbrev);
  pcre2_match_data_free(t->md);
  free(t->workspace);
  free(t->text);
  free(t->tok);
  free(t->out);
  free(t);
}

const char *p2ci_ptb_last_error(const p2ci_ptb *t) { return t->err.message; }

void p2ci_ptb_set_shortcuts(p2ci_ptb *t, int on) { t->no_shortcuts = !on; }

/* ---- matching ------------------------------------------------------------- */

/* Every length (bytes) code matches at text[pos..end), longest first; returns
 * their number (0: no match), or a negative status. */
static int match_lengths(p2ci_ptb *t, const pcre2_code *code, size_t pos, size_t end,
                         size_t *lens, int max)
{
  for (;;) {
    int rc = pcre2_dfa_match(code, (PCRE2_SPTR)t->text, end, pos, PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK,
                             t->md, NULL, t->workspace, t->ws_size);
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc == PCRE2_ERROR_DFA_WSSIZE && t->ws_size < ((size_t)1 << 22)) {
      int *w = realloc(t->workspace, 2 * t->ws_size * sizeof *w);
      if (!w) return P2C_ERR_NOMEM;
      t->workspace = w;
      t->ws_size *= 2;
      continue;
    }
    if (rc < 0) return P2C_ERR_INTERNAL;
    int n = rc == 0 ? (int)pcre2_get_ovector_count(t->md) : rc;
    if (n > max) n = max;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(t->md);
    for (int i = 0; i < n; i++) lens[i] = ov[2 * i + 1] - ov[2 * i];
    return n;
  }
}

/* The length of r1 in a match of r1/r2 of total length len: the longest r1
 * after which r2 matches exactly the rest. */
static int head_length(p2ci_ptb *t, const compiled *c, size_t pos, size_t len, size_t *head)
{
  size_t heads[64], tails[64];
  int nh = match_lengths(t, c->head, pos, pos + len, heads, 64);
  if (nh < 0) return nh;
  for (int i = 0; i < nh; i++) {
    if (heads[i] > len) continue;
    if (heads[i] == len) continue; /* r2 never matches the empty string */
    int nt = match_lengths(t, c->tail, pos + heads[i], pos + len, tails, 64);
    if (nt < 0) return nt;
    for (int j = 0; j < nt; j++)
      if (heads[i] + tails[j] == len) {
        *head = heads[i];
        return P2C_OK;
      }
  }
  return P2C_ERR_INTERNAL;
}

/* ---- token text ------------------------------------------------------------ */

/* ASCII case-insensitive prefix comparison (no locale). */
static int ascii_ieq(const char *a, const char *b, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
    if (x != y) return 0;
  }
  return 1;
}

static int tok_put(p2ci_ptb *t, const char *s, size_t n)
{
  if (p2ci_grow(&t->tok, &t->tok_cap, t->tok_len + n + 1, 1)) return P2C_ERR_NOMEM;
  memcpy(t->tok + t->tok_len, s, n);
  t->tok_len += n;
  return P2C_OK;
}

/* Decode one UTF-8 code point of valid text at s (returns its length). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  if (s[0] < 0xe0) {
    *cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
    return 2;
  }
  if (s[0] < 0xf0) {
    *cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
    return 3;
  }
  *cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 | (uint32_t)(s[2] & 0x3f) << 6 |
        (s[3] & 0x3f);
  return 4;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xc0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xe0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | cp >> 18);
  out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
  out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
  out[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

/* Offset of the first invalid UTF-8 sequence, or len. */
static size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
  size_t i = 0;
  while (i < len) {
    unsigned char c = s[i];
    size_t n;
    uint32_t min;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c < 0xe0) {
      n = 2, min = 0x80;
    } else if (c >= 0xe0 && c < 0xf0) {
      n = 3, min = 0x800;
    } else if (c >= 0xf0 && c < 0xf5) {
      n = 4, min = 0x10000;
    } else {
      return i;
    }
    if (i + n > len) return i;
    for (size_t k = 1; k < n; k++)
      if ((s[i + k] & 0xc0) != 0x80) return i;
    uint32_t cp;
    utf8_decode(s + i, &cp);
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n;
  }
  return len;
}

/* latexQuotes(): ' and " (and &apos; &quot;) by the side the rule guessed,
 * then the curly and CP1252 forms by their own side. */
static int put_quotes(p2ci_ptb *t, const char *s, size_t n, int left)
{
  size_t i = 0;
  int rc = P2C_OK;
  while (i < n && !rc) {
    if (!strncmp(s + i, "&apos;", 6) && i + 6 <= n) {
      rc = tok_put(t, left ? "`" : "'", 1), i += 6;
    } else if (!strncmp(s + i, "&quot;", 6) && i + 6 <= n) {
      rc = tok_put(t, left ? "``" : "''", 2), i += 6;
    } else if (s[i] == '\'') {
      rc = tok_put(t, left ? "`" : "'", 1), i++;
    } else if (s[i] == '"') {
      rc = tok_put(t, left ? "``" : "''", 2), i++;
    } else {
      uint32_t cp;
      size_t k = utf8_decode((const unsigned char *)s + i, &cp);
      if (cp == 0x91 || cp == 0x2018 || cp == 0x201b || cp == 0x2039) rc = tok_put(t, "`", 1);
      else if (cp == 0x92 || cp == 0x2019 || cp == 0x203a) rc = tok_put(t, "'", 1);
      else if (cp == 0x93 || cp == 0x201c || cp == 0xab) rc = tok_put(t, "``", 2);
      else if (cp == 0x94 || cp == 0x201d || cp == 0xbb) rc = tok_put(t, "''", 2);
      else rc = tok_put(t, s + i, k);
      i += k;
    }
  }
  return rc;
}

/* The token a rule's action makes of yytext s[0..n); t->tok_len = 0 when the
 * action makes none. */
static int make_token(p2ci_ptb *t, const rule *r, const char *s, size_t n)
{
  t->tok_len = 0;
  int rc = P2C_OK;
  switch ((action)r->action) {
  case KEEP:
    return tok_put(t, s, n);
  case FIXED:
    return tok_put(t, r->text, strlen(r->text));
  case IGNORE:
  case UNTOKENIZABLE:
    return P2C_OK;
  case SOFT_HYPHENS:
    for (size_t i = 0; i < n && !rc; i++) {
      if ((unsigned char)s[i] == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xad) i++;
      else rc = tok_put(t, s + i, 1);
    }
    if (!rc && t->tok_len == 0) rc = tok_put(t, "-", 1);
    return rc;
  case AMP:
    for (size_t i = 0; i < n && !rc;) {
      if (i + 5 <= n && ascii_ieq(s + i, "&amp;", 5)) rc = tok_put(t, "&", 1), i += 5;
      else rc = tok_put(t, s + i, 1), i++;
    }
    return rc;
  case NBSP:
  case PHONE_TEXT:
  case PARENS:
    for (size_t i = 0; i < n && !rc; i++) {
      if (s[i] == ' ' && r->action != PARENS) rc = tok_put(t, "\xc2\xa0", 2);
      else if (s[i] == '(' && r->action != NBSP) rc = tok_put(t, "-LRB-", 5);
      else if (s[i] == ')' && r->action != NBSP) rc = tok_put(t, "-RRB-", 5);
      else rc = tok_put(t, s + i, 1);
    }
    return rc;
  case QUOTE_LEFT:
  case QUOTE_RIGHT:
    return put_quotes(t, s, n, r->action == QUOTE_LEFT);
  case FRACTION: {
    uint32_t cp;
    utf8_decode((const unsigned char *)s, &cp);
    const char *f = cp == 0xbc ? "1/4" : cp == 0xbd ? "1/2" : cp == 0xbe ? "3/4" : cp == 0x2153 ? "1/3"
                  : cp == 0x2154 ? "2/3" : NULL;
    return f ? tok_put(t, f, 3) : tok_put(t, s, n);
  }
  case CURRENCY: {
    uint32_t cp;
    utf8_decode((const unsigned char *)s, &cp);
    if (cp == 0xa2) return tok_put(t, "cents", 5);
    if (cp == 0xa3) return tok_put(t, "#", 1);
    if (cp == 0x80 || cp == 0xa4 || cp == 0x20a0 || cp == 0x20ac) return tok_put(t, "$", 1);
    return tok_put(t, s, n);
  }
  case DASHES:
    return (n >= 3 && n <= 4) ? tok_put(t, "--", 2) : tok_put(t, s, n);
  case ACRONYM_END:
  case PERIOD_AGAIN:
    return tok_put(t, s, n); /* the caller re-lexes the period */
  }
  return P2C_ERR_INTERNAL;
}

/* Java's String.toLowerCase: per code point, plus U+0130 -> "i" U+0307 and a
 * final capital sigma -> U+03C2 (after a letter, before none). */
static int is_letterish(uint32_t cp)
{
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp >= 0xc0
             ? (cp < 0x2000 && !(cp >= 0x300 && cp <= 0x36f) && cp != 0xd7 && cp != 0xf7)
             : 0;
}

static int emit_token(p2ci_ptb *t)
{
  const char *s = t->tok;
  size_t n = t->tok_len, ln = 0;
  /* lowercase into the output buffer directly */
  if (p2ci_grow(&t->out, &t->out_cap, t->out_len + 4 * n + 2, 1)) return P2C_ERR_NOMEM;
  size_t start = t->out_len + (t->out_len ? 1 : 0);
  char *o = t->out + start;
  size_t ascii = 0;
  while (ascii < n && (unsigned char)s[ascii] < 0x80) ascii++;
  if (ascii == n) {
    /* Java's toLowerCase of ASCII text is ASCII's (test_ptb_tokenizer checks
     * p2ci_unicode_lower below U+0080) */
    for (size_t i = 0; i < n; i++) o[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
    ln = n;
  }
  uint32_t prev = 0;
  for (size_t i = 0; i < n && ascii < n;) {
    uint32_t cp;
    size_t k = utf8_decode((const unsigned char *)s + i, &cp);
    i += k;
    if (cp == 0x130) {
      o[ln++] = 'i';
      ln += utf8_encode(0x307, o + ln);
    } else if (cp == 0x3a3) {
      uint32_t next = 0;
      if (i < n) utf8_decode((const unsigned char *)s + i, &next);
      int final = is_letterish(prev) && !is_letterish(next);
      ln += utf8_encode(final ? 0x3c2 : 0x3c3, o + ln);
    } else {
      ln += utf8_encode(p2ci_unicode_lower(cp), o + ln);
    }
    if (!(cp >= 0x300 && cp <= 0x36f)) prev = cp;
  }
  if (ln <= 3) /* the longest of pycocoevalcap's punctuation marks */
    for (size_t i = 0; i < sizeof punctuation / sizeof punctuation[0]; i++)
      if (strlen(punctuation[i]) == ln && !memcmp(punctuation[i], o, ln)) return P2C_OK;
  if (t->out_len) t->out[t->out_len] = ' ';
  t->out_len = start + ln;
  return P2C_OK;
}

static int is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Shortcuts for the commonest caption words, each giving what the rules give:
 * - a run of ASCII letters followed by a space or the end of the text is one
 *   token whatever rule wins (WORD, ACRO/SPACENL and ABBREV4/SPACE return it
 *   unchanged), except the words the lexer splits (cannot, gonna, ...);
 * - the same run followed by ", " or a final "," is that token, then a comma
 *   (no rule starting with letters crosses a comma unless the chunk holds '-'
 *   or '@', which the run excludes);
 * - the same run of 2+ letters followed by the final "." of the text is that
 *   token, then a period, unless it is an abbreviation (ABBREV1 or ABBREV2
 *   keep "etc." or "Mr." whole: checked with those very patterns);
 * - one letter followed by the final "." is the token "x." (ABBREV2);
 * - runs of ASCII letters joined by single hyphens ("mid-sized") followed by
 *   a space, the end, ", " or a final "," are one token and the comma: HTHING
 *   matches the whole run, no rule matches more (the ones that take a hyphen
 *   and go on need a digit, '.', '/', '@' or an apostrophe) and HTHING comes
 *   before THING, its tie; its action drops only soft hyphens.
 * Returns the length of the word (0: use the rules) and sets *skip to the
 * bytes after it that only hold punctuation the filter drops. */
static size_t plain_word(p2ci_ptb *t, const char *s, size_t pos, size_t end, size_t *skip)
{
  size_t q = pos;
  while (q < end && is_ascii_letter(s[q])) q++;
  if (q == pos) return 0;
  if (q + 1 < end && s[q] == '-' && is_ascii_letter(s[q + 1])) {
    while (q + 1 < end && s[q] == '-' && is_ascii_letter(s[q + 1]))
      for (q++; q < end && is_ascii_letter(s[q]);) q++;
    *skip = 0;
    if (q == end || s[q] == ' ') return q - pos;
    if (s[q] == ',' && (q + 1 == end || s[q + 1] == ' ')) {
      *skip = 1;
      return q - pos;
    }
    return 0;
  }
  static const char *const split[] = {"cannot", "gonna", "gotta", "lemme", "gimme", "wanna"};
  for (size_t i = 0; i < sizeof split / sizeof split[0]; i++)
    if (q - pos == strlen(split[i]) && ascii_ieq(s + pos, split[i], q - pos)) return 0;
  *skip = 0;
  if (q == end || s[q] == ' ') return q - pos;
  if (s[q] == ',' && (q + 1 == end || s[q + 1] == ' ')) {
    *skip = 1;
    return q - pos;
  }
  if (s[q] == '.' && q + 1 == end && q - pos == 1) {
    /* one letter and the final period: ABBREV2 ({ACRO}\.) keeps "x." whole,
     * and no rule matches more */
    return 2;
  }
  if (s[q] == '.' && q + 1 == end && q - pos >= 2) {
    /* Both patterns end in the period, the text's only one here: a match
     * is the whole "word.", so the answer is the word's alone. */
    size_t n = q - pos;
    abbrev_entry *e = NULL;
    if (n <= ABBREV_WORD) {
      uint32_t h = 2166136261u;
      for (size_t i = pos; i < q; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
      e = &t->abbrev_cache[h % ABBREV_CACHE];
      if (e->len == n && !memcmp(e->word, s + pos, n)) {
        if (e->is_abbrev) return 0;
        *skip = 1;
        return n;
      }
    }
    size_t lens[1];
    int m = match_lengths(t, t->abbrev, pos, end, lens, 1);
    if (m < 0) return 0; /* an error the rules will meet again */
    if (e) {
      memcpy(e->word, s + pos, n);
      e->len = (unsigned char)n;
      e->is_abbrev = m > 0;
    }
    if (m > 0) return 0; /* an abbreviation: the rules keep "word." whole */
    *skip = 1;
    return n;
  }
  return 0;
}

int p2ci_ptb_tokenize(p2ci_ptb *t, const char *text, size_t len, const char **out,
                      size_t *out_len)
{
  size_t bad = utf8_valid_prefix((const unsigned char *)text, len);
  if (bad < len)
    return p2ci_error(&t->err, P2C_ERR_PARSE, "caption is not valid UTF-8 (byte %zu)", bad);
  if (p2ci_grow(&t->text, &t->text_cap, len + 1, 1) || p2ci_grow(&t->out, &t->out_cap, 1, 1))
    return p2ci_error(&t->err, P2C_ERR_NOMEM, "out of memory");
  /* pycocoevalcap: caption.replace('\n', ' ') */
  for (size_t i = 0; i < len; i++) t->text[i] = text[i] == '\n' ? ' ' : text[i];
  t->text[len] = '\0';
  t->out_len = 0;
  const char *s = t->text;
  size_t pos = 0;
  int rc = P2C_OK;
  while (pos < len && !rc) {
    if (s[pos] == ' ' || s[pos] == '\t') {
      pos++;
      continue;
    }
    size_t skip = 0, w = t->no_shortcuts ? 0 : plain_word(t, s, pos, len, &skip);
    if (w) {
      t->tok_len = 0;
      rc = tok_put(t, s + pos, w);
      if (!rc) rc = emit_token(t);
      pos += w + skip;
      continue;
    }
    /* the longest match over all rules; the earlier rule on a tie */
    size_t best_len = 0, lens[1];
    size_t best = N_RULES;
    unsigned char c = (unsigned char)s[pos];
    for (size_t i = 0; i < N_RULES; i++) {
      if (!(t->rule[i].first[c / 8] & (1u << (c % 8)))) continue;
      int m = match_lengths(t, t->rule[i].whole, pos, len, lens, 1);
      if (m < 0) {
        rc = m;
        break;
      }
      if (m > 0 && lens[0] > best_len) {
        best_len = lens[0];
        best = i;
      }
    }
    if (rc) break;
    if (best == N_RULES) { /* cannot happen: the last rule takes any character */
      rc = P2C_ERR_INTERNAL;
      break;
    }
    const rule *r = &rules[best];
    size_t yylen = best_len;
    if (r->r2 && (rc = head_length(t, &t->rule[best], pos, best_len, &yylen)) != P2C_OK) break;
    yylen -= r->pushback;
    size_t next = pos + yylen;
    if (r->action == ACRONYM_END && yylen == 2) {
      yylen = 1; /* "I." -> "I", the period comes next */
      next = pos + 1;
    } else if (r->action == ACRONYM_END || r->action == PERIOD_AGAIN) {
      next = pos + yylen - 1; /* the token keeps its period, which is lexed again */
    }
    rc = make_token(t, r, s + pos, yylen);
    if (!rc && t->tok_len) rc = emit_token(t);
    pos = next;
  }
  if (rc) {
    if (rc == P2C_ERR_NOMEM) return p2ci_error(&t->err, rc, "out of memory");
    return p2ci_error(&t->err, rc, "PTB tokenizer: internal error at byte %zu", pos);
  }
  t->out[t->out_len] = '\0';
  *out = t->out;
  *out_len = t->out_len;
  return P2C_OK;
}
