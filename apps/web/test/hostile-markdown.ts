// The hostile-Markdown corpus: what people (and attackers) write to get markup
// or script past a forum. markdown.test.ts renders each alone; the pages'
// browser test (apps/appview/test/web/hostile-pages.test.ts) shows them all
// as posts, quotes and previews in a real browser.

/** Things people (and attackers) write; each must come out as text or as a harmless element. */
export const HOSTILE = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  "[click](javascript:alert(1))",
  "[click](JaVaScRiPt:alert(1))",
  "[click](java\tscript:alert(1))",
  "[click](&#106;avascript:alert(1))",
  "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[click](vbscript:msgbox(1))",
  "[click](//evil.example/steal)",
  "![x](https://tracker.example/pixel.png)",
  '![x](javascript:alert(1) "t")',
  "<iframe src=https://evil.example></iframe>",
  "<style>body{display:none}</style>",
  '<div style="position:fixed">overlay</div>',
  "<svg><script>alert(1)</script></svg>",
  '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
  "<form action=/logout method=post><button>x</button></form>",
  "<!-- comment --><meta http-equiv=refresh content=0;url=https://evil.example>",
  "<https://ok.example/?q=<script>>",
  "`<script>alert(1)</script>`",
  "```html\n<script>alert(1)</script>\n```",
  "> <img src=x onerror=alert(1)>",
  "[a]: javascript:alert(1)\n\n[link][a]",
  "<base href=https://evil.example/>",
  '"><script>alert(1)</script>',
  "<object data=x></object><embed src=x>",
  "# <script>x</script>",
];
