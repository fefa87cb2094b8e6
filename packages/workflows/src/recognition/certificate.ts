import type { CertificateContent } from '@tandem/app';
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';

/** A4 landscape, in points. */
const WIDTH = 842;
const HEIGHT = 595;

/**
 * The standard fonts encode WinAnsi only: a character they cannot draw becomes `?` instead of
 * failing the certificate (embedding a Unicode font would add megabytes to every step).
 */
function drawable(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  return [...text].map((c) => (supported.has(c.codePointAt(0)!) ? c : '?')).join('');
}

/** Lines of at most `width` points, broken at spaces. */
function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

/** The PDF certificate of an award: the person's name, the award, the program, the date and the organization. */
export async function renderCertificate(content: CertificateContent): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${content.awardName} — ${content.personName}`);
  pdf.setAuthor(content.organization);
  pdf.setCreator('Tandem');
  const page = pdf.addPage([WIDTH, HEIGHT]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const accent = rgb(0.12, 0.44, 0.92);
  page.drawRectangle({
    x: 24,
    y: 24,
    width: WIDTH - 48,
    height: HEIGHT - 48,
    borderColor: accent,
    borderWidth: 4,
  });

  let y = HEIGHT - 110;
  const centered = (text: string, font: PDFFont, size: number, gap: number) => {
    for (const line of wrap(font, size, drawable(font, text), WIDTH - 160)) {
      page.drawText(line, { x: (WIDTH - font.widthOfTextAtSize(line, size)) / 2, y, size, font });
      y -= size + 6;
    }
    y -= gap;
  };
  centered('Certificate of Recognition', bold, 34, 24);
  centered('presented to', regular, 16, 8);
  centered(content.personName, bold, 30, 18);
  centered(content.awardName, bold, 22, 6);
  centered(content.criteria, regular, 12, 18);
  if (content.programName) centered(`Program: ${content.programName}`, regular, 14, 4);
  centered(`${content.organization} · ${content.date}`, regular, 14, 0);
  return pdf.save();
}
