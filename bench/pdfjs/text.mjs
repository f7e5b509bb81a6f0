// The text pdf.js gives of a PDF (its getTextContent, as Firefox's text layer gets it): each item's string, a line
// break after an item that ends a line and after each page. Run: node text.mjs FILE.pdf
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFileSync } from "node:fs";

const document = await getDocument({ data: new Uint8Array(readFileSync(process.argv[2])), verbosity: 0 }).promise;
let text = "";
for (let number = 1; number <= document.numPages; number++) {
  const content = await (await document.getPage(number)).getTextContent();
  for (const item of content.items) text += item.str + (item.hasEOL ? "\n" : "");
  text += "\n";
}
process.stdout.write(text);
