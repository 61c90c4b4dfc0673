/**
 * The preflight as one Letter page a shop can send its customer: the art, the
 * problems circled on the trace's heat map, the findings and inks in tables.
 * One layout (a list of text, boxes and pictures in points from the top-left)
 * is written twice: as PDF (Helvetica, a standard font, so nothing is
 * embedded and the figures stay text) and as SVG rendered to PNG by librsvg
 * for the web app.
 */
import sharp from 'sharp';
import { parseColor } from '../color/color.js';
import { encodePng, resize } from '../io/encode.js';
import type { RgbaImage } from '../io/image.js';
import { PdfWriter } from '../io/pdf.js';
import { pad } from '../raster/geometry.js';
import { NOT_COUNTED, type TraceFidelity } from './fidelity.js';
import type { PreflightReport, PreflightResult, Severity } from './index.js';

type Item =
  | { kind: 'text'; x: number; y: number; size: number; text: string; bold?: boolean; color?: string }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string }
  | { kind: 'image'; x: number; y: number; w: number; h: number; image: RgbaImage };

export const PAGE = { width: 612, height: 792 } as const;

export const SEVERITY_COLOR: Record<Severity, string> = {
  error: '#c62828',
  warning: '#d98200',
  info: '#1f6fb2',
};
const VERDICT_COLOR = { ready: '#2e7d32', check: '#d98200', fix: '#c62828' } as const;
const GREY = '#555555';
const MARGIN = 40;

/** The page's items for a report and its two pictures (the art, the marked heat map). */
export function preflightLayout(
  report: PreflightReport,
  art: RgbaImage,
  heat: RgbaImage,
  artPlate: string,
): Item[] {
  const items: Item[] = [];
  const text = (x: number, y: number, size: number, t: string, o: { bold?: boolean; color?: string } = {}) =>
    items.push({ kind: 'text', x, y, size, text: t, ...o });
  const p = report.print;
  text(MARGIN, 52, 18, `Preflight: ${report.process.name}`, { bold: true });
  text(
    MARGIN,
    70,
    10,
    `Printed ${p.widthIn} × ${p.heightIn} in (${p.widthMm} × ${p.heightMm} mm)${p.garment === 'none' ? '' : ` on ${p.garment}`} · input ${report.input.artWidthPx} × ${report.input.artHeightPx} px = ${report.input.dpi} DPI at this size`,
    { color: GREY },
  );
  items.push({
    kind: 'rect',
    x: MARGIN,
    y: 82,
    w: PAGE.width - 2 * MARGIN,
    h: 26,
    fill: VERDICT_COLOR[report.verdict],
  });
  text(MARGIN + 10, 100, 13, report.summary, { bold: true, color: '#ffffff' });

  // the two pictures, each fitted in its panel
  const panelW = (PAGE.width - 2 * MARGIN - 20) / 2;
  const panelH = 230;
  const top = 138;
  text(MARGIN, top - 8, 10, 'The art', { bold: true });
  text(MARGIN + panelW + 20, top - 8, 10, 'Problems circled on the trace check', { bold: true });
  items.push({ kind: 'rect', x: MARGIN, y: top, w: panelW, h: panelH, fill: artPlate });
  items.push({ kind: 'rect', x: MARGIN + panelW + 20, y: top, w: panelW, h: panelH, fill: '#ffffff' });
  for (const [k, image] of [art, heat].entries()) {
    const s = Math.min((panelW - 16) / image.width, (panelH - 16) / image.height);
    const w = image.width * s;
    const h = image.height * s;
    const x0 = MARGIN + k * (panelW + 20);
    items.push({ kind: 'image', x: x0 + (panelW - w) / 2, y: top + (panelH - h) / 2, w, h, image });
  }
  let y = top + panelH + 14;
  const legend: [string, string][] = [
    [SEVERITY_COLOR.error, 'problem'],
    [SEVERITY_COLOR.warning, 'warning'],
    [HEAT_BAD, `trace off by ΔE > ${report.trace.threshold}`],
    [HEAT_NEAR, `ΔE ${NEAR_DELTA_E}–${report.trace.threshold}`],
  ];
  let lx = MARGIN + panelW + 20;
  for (const [color, label] of legend) {
    items.push({ kind: 'rect', x: lx, y: y - 7, w: 8, h: 8, fill: color });
    text(lx + 11, y, 7.5, label, { color: GREY });
    lx += 16 + label.length * 3.9;
  }
  text(
    MARGIN,
    y,
    8,
    `Trace: ${report.trace.badPct} % of the art over ΔE ${report.trace.threshold}, mean ΔE ${report.trace.meanDeltaE}`,
    { color: GREY },
  );

  // findings
  y += 26;
  text(MARGIN, y, 12, 'Findings', { bold: true });
  y += 16;
  const cols = { severity: MARGIN, what: MARGIN + 56, value: 462, limit: 522 };
  text(cols.value, y, 8, 'Value', { bold: true, color: GREY });
  text(cols.limit, y, 8, 'Limit', { bold: true, color: GREY });
  y += 12;
  if (report.findings.length === 0) {
    text(cols.what, y, 9, 'Nothing found: every line, gap and dot is within what the process holds.');
    y += 14;
  }
  const inkRows = report.inks.length;
  const bottom = PAGE.height - 80 - 14 * inkRows - 40;
  let shown = 0;
  for (const f of report.findings) {
    const lines = wrap(f.message, 74);
    if (y + 11 * lines.length > bottom) break;
    text(cols.severity, y, 8.5, f.severity.toUpperCase(), { bold: true, color: SEVERITY_COLOR[f.severity] });
    for (const [i, line] of lines.entries()) text(cols.what, y + 11 * i, 9, line);
    if (f.value !== null) text(cols.value, y, 9, `${f.value} ${f.unit}`);
    if (f.limit !== null) text(cols.limit, y, 9, `${f.limit} ${f.unit}`);
    y += 11 * lines.length + 5;
    shown++;
  }
  if (shown < report.findings.length) {
    text(cols.what, y, 9, `… and ${report.findings.length - shown} more in preflight.json`, { color: GREY });
    y += 14;
  }

  // inks
  y += 12;
  text(MARGIN, y, 12, 'Inks', { bold: true });
  y += 16;
  const ic = { swatch: MARGIN, hex: MARGIN + 18, area: 140, coverage: 220, line: 300, ml: 400 };
  const screen = report.inkVolume !== null;
  text(ic.area, y, 8, 'Area', { bold: true, color: GREY });
  text(ic.coverage, y, 8, 'Coverage', { bold: true, color: GREY });
  text(ic.line, y, 8, 'Thinnest line', { bold: true, color: GREY });
  if (screen) text(ic.ml, y, 8, 'Ink per print', { bold: true, color: GREY });
  y += 13;
  for (const ink of report.inks) {
    items.push({ kind: 'rect', x: ic.swatch, y: y - 8, w: 12, h: 10, fill: '#999999' });
    items.push({ kind: 'rect', x: ic.swatch + 1, y: y - 7, w: 10, h: 8, fill: ink.hex });
    text(ic.hex, y, 9, ink.printed ? ink.hex : `${ink.hex} (not printed: the substrate)`);
    if (ink.printed) {
      text(ic.area, y, 9, `${ink.areaIn2} in²`);
      text(ic.coverage, y, 9, `${ink.coveragePct} %`);
      text(
        ic.line,
        y,
        9,
        ink.thinnestLineMm === null ? `≥ ${2 * report.process.minLineMm} mm` : `${ink.thinnestLineMm} mm`,
      );
      if (ink.inkMl !== null) text(ic.ml, y, 9, `${ink.inkMl} ml`);
    }
    y += 14;
  }
  if (report.inkVolume) {
    text(
      MARGIN,
      y + 4,
      9,
      `Ink: ${report.inkVolume.perPrintMl} ml per print, ${report.inkVolume.per100Ml} ml per 100 prints (${report.process.inkVolumeCm3PerM2} cm³/m², the mesh's theoretical volume).`,
    );
  }
  text(
    MARGIN,
    PAGE.height - 30,
    7.5,
    `logomill preflight · ${report.schema} · limits are common shop guidance for the process; your printer's may differ.`,
    { color: GREY },
  );
  return items;
}

export const HEAT_BAD = '#e53935';
export const HEAT_NEAR = '#ffd666';
/** ΔE2000 from which the heat map shows a trace pixel as near (below: a match). */
const NEAR_DELTA_E = 5;

/** Long side of the pictures on the page, px. */
const PICTURE_PX = 720;

/**
 * The art as a picture for the page (at most PICTURE_PX on its long side),
 * and the heat map: the art faded to grey, the trace's misses in amber (ΔE
 * 2–10) and red (over 10), each finding's places circled in its colour.
 */
export async function preflightPictures(
  art: RgbaImage,
  result: Pick<PreflightResult, 'fidelity' | 'marks'>,
): Promise<{ art: RgbaImage; heat: RgbaImage }> {
  const heat = heatImage(art, result.fidelity);
  const s = Math.min(1, PICTURE_PX / Math.max(art.width, art.height));
  const w = Math.max(1, Math.round(art.width * s));
  const h = Math.max(1, Math.round(art.height * s));
  const small = s < 1 ? await resize(art, w, h) : art;
  const smallHeat = s < 1 ? await resize(heat, w, h) : heat;
  // a margin so that rings around places at the edge stay whole
  const ring = Math.max(2, Math.round(Math.max(w, h) / 180));
  const minR = Math.max(w, h) / 40;
  const m0 = Math.ceil(minR + 4 * ring);
  const framed = pad(smallHeat, m0, 255); // opaque white
  for (const m of result.marks) {
    const cx = (m.box.x + m.box.width / 2) * s + m0;
    const cy = (m.box.y + m.box.height / 2) * s + m0;
    const pad = Math.max(3 * ring, (Math.min(m.box.width, m.box.height) / 2) * s * 0.5);
    const rx = Math.max(minR, (m.box.width / 2) * s + pad);
    const ry = Math.max(minR, (m.box.height / 2) * s + pad);
    drawRing(framed, cx, cy, rx, ry, ring, parseColor(SEVERITY_COLOR[m.severity]));
  }
  return { art: small, heat: framed };
}

function heatImage(art: RgbaImage, f: TraceFidelity): RgbaImage {
  const n = art.width * art.height;
  const out = Buffer.alloc(n * 4);
  const bad = parseColor(HEAT_BAD);
  const near = parseColor(HEAT_NEAR);
  for (let i = 0; i < n; i++) {
    const a = art.data[i * 4 + 3] / 255;
    const lum = (art.data[i * 4] * 0.3 + art.data[i * 4 + 1] * 0.59 + art.data[i * 4 + 2] * 0.11) / 255;
    // the art faded: light grey tones on white
    let v = Math.round(255 - a * (1 - lum) * 110 - a * 25);
    let c = { r: v, g: v, b: v };
    const d = f.heat[i];
    if (d !== NOT_COUNTED && d > 10) c = bad;
    else if (d !== NOT_COUNTED && d >= NEAR_DELTA_E) c = near;
    v = 255;
    out[i * 4] = c.r;
    out[i * 4 + 1] = c.g;
    out[i * 4 + 2] = c.b;
    out[i * 4 + 3] = v;
  }
  return { width: art.width, height: art.height, data: out };
}

/** An elliptical ring of `thickness` px around (cx, cy), semi-axes rx and ry, clipped to the image. */
function drawRing(
  image: RgbaImage,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  thickness: number,
  c: { r: number; g: number; b: number },
): void {
  const half = thickness / 2;
  const x0 = Math.max(0, Math.floor(cx - rx - half));
  const x1 = Math.min(image.width - 1, Math.ceil(cx + rx + half));
  const y0 = Math.max(0, Math.floor(cy - ry - half));
  const y1 = Math.min(image.height - 1, Math.ceil(cy + ry + half));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      // distance to the ellipse ≈ f / |∇f| for f = (dx/rx)² + (dy/ry)² − 1
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const f = (dx / rx) ** 2 + (dy / ry) ** 2 - 1;
      const grad = 2 * Math.hypot(dx / (rx * rx), dy / (ry * ry));
      if (grad === 0 || Math.abs(f / grad) > half) continue;
      const i = (y * image.width + x) * 4;
      image.data[i] = c.r;
      image.data[i + 1] = c.g;
      image.data[i + 2] = c.b;
      image.data[i + 3] = 255;
    }
  }
}

/** Words to lines of at most `width` characters. */
function wrap(s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The page as PDF: Helvetica text in WinAnsi, filled boxes, the pictures as images. */
export function layoutToPdf(items: Item[]): Buffer {
  const pdf = new PdfWriter(6);
  const fonts = {
    F1: pdf.add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'),
    F2: pdf.add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>'),
  };
  const xobjects: string[] = [];
  const ops: string[] = [];
  const Y = (y: number) => PAGE.height - y;
  for (const it of items) {
    if (it.kind === 'rect') {
      ops.push(`${pdfRgb(it.fill)} rg ${n(it.x)} ${n(Y(it.y + it.h))} ${n(it.w)} ${n(it.h)} re f`);
    } else if (it.kind === 'image') {
      const name = `Im${xobjects.length}`;
      xobjects.push(`/${name} ${pdf.addImage(it.image)} 0 R`);
      ops.push(`q ${n(it.w)} 0 0 ${n(it.h)} ${n(it.x)} ${n(Y(it.y + it.h))} cm /${name} Do Q`);
    } else {
      const color = pdfRgb(it.color ?? '#111111');
      ops.push(
        `BT /${it.bold ? 'F2' : 'F1'} ${n(it.size)} Tf ${color} rg ${n(it.x)} ${n(Y(it.y))} Td (${pdfString(it.text)}) Tj ET`,
      );
    }
  }
  pdf.addVectorPage(
    PAGE.width,
    PAGE.height,
    ops.join('\n'),
    `/Font << /F1 ${fonts.F1} 0 R /F2 ${fonts.F2} 0 R >> /XObject << ${xobjects.join(' ')} >>`,
  );
  return pdf.toBuffer();
}

/** The page as PNG at `scale` pixels per point (librsvg, DejaVu Sans or the system's sans-serif). */
export async function layoutToPng(
  items: Item[],
  scale: number,
): Promise<{ data: Buffer; width: number; height: number }> {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width * scale}" height="${PAGE.height * scale}" viewBox="0 0 ${PAGE.width} ${PAGE.height}">`,
    `<rect width="${PAGE.width}" height="${PAGE.height}" fill="#ffffff"/>`,
  ];
  for (const it of items) {
    if (it.kind === 'rect') {
      out.push(
        `<rect x="${n(it.x)}" y="${n(it.y)}" width="${n(it.w)}" height="${n(it.h)}" fill="${it.fill}"/>`,
      );
    } else if (it.kind === 'image') {
      const png = await encodePng(it.image, 72);
      out.push(
        `<image x="${n(it.x)}" y="${n(it.y)}" width="${n(it.w)}" height="${n(it.h)}" preserveAspectRatio="none" href="data:image/png;base64,${png.toString('base64')}"/>`,
      );
    } else {
      out.push(
        `<text x="${n(it.x)}" y="${n(it.y)}" font-family="Helvetica, Arial, DejaVu Sans, sans-serif" font-size="${n(it.size)}"${it.bold ? ' font-weight="bold"' : ''} fill="${it.color ?? '#111111'}">${xmlEscape(it.text)}</text>`,
      );
    }
  }
  out.push('</svg>');
  const { data, info } = await sharp(Buffer.from(out.join('\n')), { density: 72 })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const image: RgbaImage = { width: info.width, height: info.height, data };
  return { data: await encodePng(image, 72 * scale), width: info.width, height: info.height };
}

const n = (v: number) => String(Math.round(v * 100) / 100);

function pdfRgb(hex: string): string {
  const v = Number.parseInt(hex.slice(1), 16);
  return [v >> 16, (v >> 8) & 255, v & 255].map((c) => n(c / 255)).join(' ');
}

/** Characters Helvetica's WinAnsi encoding lacks, spelled with ones it has. */
const SPELLED: Record<string, string> = { Δ: 'd', '≥': '>=', '≤': '<=', '→': '->' };

/** A PDF literal string in WinAnsi (Latin-1 for what the report uses), escaped. */
function pdfString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = SPELLED[ch] ?? ch;
    for (const k of c) {
      const code = k === '…' ? 0x85 : k === '–' ? 0x96 : k === '’' ? 0x92 : k.charCodeAt(0);
      if (code > 0xff) out += '?';
      else if (k === '(' || k === ')' || k === '\\') out += `\\${k}`;
      else if (code < 0x20 || code > 0x7e) out += `\\${code.toString(8).padStart(3, '0')}`;
      else out += k;
    }
  }
  return out;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
