/** @module Finding a CJK font for the 明白纸: env MINGBAI_CJK_FONT, then a short list of known system paths; none found is a Chinese error naming the package. */
import { existsSync, readFileSync } from 'node:fs';
import { DomainError } from '../core/errors.ts';

/** One face of a font: a file and, for a collection (.ttc), the PostScript name of the face inside it. */
export interface FontFace { path: string; family?: string }

export interface CjkFont { regular: FontFace; bold: FontFace }

export interface FontCandidate { regular: FontFace; bold?: FontFace }

/** Where Linux distributions and macOS put a Simplified Chinese font; Debian's fonts-noto-cjk first. */
export const KNOWN_CJK_FONTS: readonly FontCandidate[] = [
  {
    regular: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
    bold: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
  },
  {
    regular: { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
    bold: { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
  },
  {
    regular: { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
    bold: { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
  },
  {
    regular: { path: '/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
    bold: { path: '/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
  },
  { regular: { path: '/System/Library/Fonts/PingFang.ttc', family: 'PingFangSC-Regular' }, bold: { path: '/System/Library/Fonts/PingFang.ttc', family: 'PingFangSC-Semibold' } },
];

export const FONT_ENV = 'MINGBAI_CJK_FONT';

const INSTALL_HINT = '请安装中文字体：Debian/Ubuntu 执行 apt-get install fonts-noto-cjk，'
  + `或用环境变量 ${FONT_ENV} 指定字体文件（.ttf/.otf，或 .ttc 后加 #字体名，如 /path/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular）`;

/**
 * The font to print with. MINGBAI_CJK_FONT (`path` or `path.ttc#PostScriptName`) wins and must exist;
 * otherwise the first known path that exists. A bold face is used when one sits beside the regular one.
 */
export function findCjkFont(env: NodeJS.ProcessEnv = process.env, candidates: readonly FontCandidate[] = KNOWN_CJK_FONTS): CjkFont {
  const configured = env[FONT_ENV]?.trim();
  if (configured) {
    const regular = parseFontSpec(configured);
    if (!existsSync(regular.path)) throw new DomainError('missing_dependency', `环境变量 ${FONT_ENV} 指定的字体文件不存在：${regular.path}。${INSTALL_HINT}`);
    return { regular, bold: boldBeside(regular) };
  }
  for (const c of candidates) {
    if (!existsSync(c.regular.path)) continue;
    return { regular: c.regular, bold: c.bold && existsSync(c.bold.path) ? c.bold : c.regular };
  }
  throw new DomainError('missing_dependency', `找不到可打印中文的字体，无法生成明白纸 PDF。${INSTALL_HINT}`);
}

function parseFontSpec(spec: string): FontFace {
  const hash = spec.lastIndexOf('#');
  const path = hash > 0 ? spec.slice(0, hash) : spec;
  const family = hash > 0 ? spec.slice(hash + 1) : /\.ttc$/i.test(spec) ? 'NotoSansCJKsc-Regular' : undefined;
  return family ? { path, family } : { path };
}

/** NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular → NotoSansCJK-Bold.ttc#NotoSansCJKsc-Bold when that file exists. */
function boldBeside(regular: FontFace): FontFace {
  if (!/Regular/.test(regular.path)) return regular;
  const path = regular.path.replace(/Regular(?=[^/]*$)/, 'Bold');
  if (!existsSync(path)) return regular;
  return regular.family ? { path, family: regular.family.replace('Regular', 'Bold') } : { path };
}

const bytes = new Map<string, Buffer>();

/** The font file's bytes, read once per process (a CJK collection is tens of megabytes). */
export function fontBytes(face: FontFace): Buffer {
  let data = bytes.get(face.path);
  if (!data) {
    data = readFileSync(face.path);
    bytes.set(face.path, data);
  }
  return data;
}
