// Finding the CJK font: the env override, the known paths, and a Chinese error naming the package when none exists.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import { findCjkFont, KNOWN_CJK_FONTS } from '../../src/pdf/font.ts';

const DEBIAN = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

describe('findCjkFont', () => {
  it('finds Debian’s fonts-noto-cjk (Simplified Chinese faces of the collection, bold beside regular)', () => {
    // CI installs fonts-noto-cjk; without it this test fails rather than skips.
    const font = findCjkFont({}, KNOWN_CJK_FONTS);
    expect(font.regular).toEqual({ path: DEBIAN, family: 'NotoSansCJKsc-Regular' });
    expect(font.bold.family).toBe('NotoSansCJKsc-Bold');
  });

  it('takes MINGBAI_CJK_FONT first, with the face named after # or the default for a .ttc', () => {
    expect(findCjkFont({ MINGBAI_CJK_FONT: DEBIAN }, []).regular).toEqual({ path: DEBIAN, family: 'NotoSansCJKsc-Regular' });
    expect(findCjkFont({ MINGBAI_CJK_FONT: `${DEBIAN}#NotoSansCJKtc-Regular` }, []).regular.family).toBe('NotoSansCJKtc-Regular');
  });

  it('says in Chinese which package to install when no font is found', () => {
    const attempt = () => findCjkFont({}, [{ regular: { path: '/nonexistent/font.ttc', family: 'X' } }]);
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(/fonts-noto-cjk/);
    expect(attempt).toThrow(/找不到可打印中文的字体/);
    expect(() => findCjkFont({ MINGBAI_CJK_FONT: '/nonexistent/x.otf' })).toThrow(/MINGBAI_CJK_FONT 指定的字体文件不存在/);
  });
});
