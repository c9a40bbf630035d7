/** @module The `mingbai` command line: screen a household, print its 明白纸, list packs, explain a policy, show coverage, run the demo. */
import { Command, CommanderError } from 'commander';
import { readdirSync, writeFileSync } from 'node:fs';
import { DomainError } from '../core/errors.ts';
import { screenHousehold } from '../core/evaluator/evaluate.ts';
import { totalEntitlements } from '../core/evaluator/totals.ts';
import { coverAllSeeds } from '../packs/coverage.ts';
import { loadPacks } from '../packs/load.ts';
import { localFactsFromYuan } from '../packs/local.ts';
import { SEEDS_DIR } from '../packs/seeds.ts';
import { renderMingbaizhi, renderVillageBatch } from '../pdf/mingbaizhi.ts';
import { runDemo } from './demo.ts';
import { screenRegistry } from './screen-registry.ts';
import { InputError, readHouseholdFile } from './read-input.ts';
import { renderCoverage } from './render/coverage-text.ts';
import { renderPackList, renderPolicy } from './render/packs-text.ts';
import { renderScreening } from './render/screening-text.ts';

export function buildProgram(print: (text: string) => void): Command {
  const program = new Command('mingbai')
    .description('明白：按政策原文测算家庭可享受的帮扶与救助政策')
    .exitOverride()
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [命令]', '显示某个命令的帮助')
    .configureOutput({ writeOut: (t) => print(t.trimEnd()), writeErr: (t) => print(t.trimEnd()), outputError: (text, write) => write(translateCommanderError(text)) });

  program.command('screen [household.json]')
    .description('测算一户在某日可享受的政策，列出金额、理由、缺少的信息与不能享受的原因；加 --all 批量测算数据库中的全部户')
    .option('--date <YYYY-MM-DD>', '测算日期（默认今天）')
    .option('--json', '输出 JSON')
    .option('--all', '列出全部不能享受的政策及原因；不给户文件时，批量测算数据库（内嵌数据库或 DATABASE_URL）中的全部户')
    .option('--area <区县[/镇街[/村社]]>', '批量测算时只测算此区域，如 渝北区/大盛镇')
    .option('--local <name=yuan...>', '当地参数（元），如 dibaoStandardMonthlyYuan=620')
    .action(async (file: string | undefined, opts: { date?: string; json?: boolean; all?: boolean; area?: string; local?: string[] }) => {
      const date = opts.date ?? new Date().toISOString().slice(0, 10);
      const local = parseLocal(opts.local ?? []);
      if (!file) {
        if (!opts.all) throw new DomainError('invalid_input', '请给出户数据文件，或用 --all 批量测算数据库中的全部户');
        await screenRegistry(print, { date, local, area: opts.area });
        return;
      }
      const household = readHouseholdFile(file);
      const packs = loadPacks();
      const result = screenHousehold(packs, household, date, { local });
      print(opts.json
        ? JSON.stringify({ ...result, totals: totalEntitlements(result.decisions) }, null, 2)
        : renderScreening(result, household, packs, { all: opts.all ?? false }));
    });

  program.command('print <household.json...>')
    .description('打印明白纸 PDF：一户一份；多户合并为一个文件，每户另起一页（如整村批量打印）')
    .option('--date <YYYY-MM-DD>', '测算日期（默认今天）')
    .option('--local <name=yuan...>', '当地参数（元），如 dibaoStandardMonthlyYuan=620')
    .option('--out <file.pdf>', '输出文件', '明白纸.pdf')
    .option('--duplex', '双面打印：每户页数补成偶数')
    .action(async (files: string[], opts: { date?: string; local?: string[]; out: string; duplex?: boolean }) => {
      const packs = loadPacks();
      const date = opts.date ?? new Date().toISOString().slice(0, 10);
      const local = parseLocal(opts.local ?? []);
      const items = files.map((file) => {
        const household = readHouseholdFile(file);
        return { household, result: screenHousehold(packs, household, date, { local }), packs };
      });
      const pdf = items.length === 1 && items[0] ? await renderMingbaizhi(items[0]) : await renderVillageBatch(items, { duplex: opts.duplex ?? false });
      writeFileSync(opts.out, pdf);
      print(`已生成 ${opts.out}（${items.length} 户，测算日期 ${date}）`);
    });

  program.command('validate <household.json>')
    .description('检查户数据是否符合输入格式')
    .action((file: string) => {
      const h = readHouseholdFile(file);
      print(`户 ${h.id}：格式正确，${h.members.length} 名成员`);
    });

  program.command('packs')
    .description('列出政策包及其政策')
    .action(() => print(renderPackList(loadPacks())));

  program.command('explain <policy>')
    .description('显示一条政策的条件、金额及其原文依据')
    .action((id: string) => {
      const packs = loadPacks();
      const pack = packs.find((p) => p.byId.has(id));
      const policy = pack?.byId.get(id);
      if (!pack || !policy) {
        const near = packs.flatMap((p) => p.policies.map((x) => x.id)).filter((x) => x.includes(id)).slice(0, 10);
        throw new DomainError('unknown_policy', `没有编号为“${id}”的政策${near.length ? `；相近的有：${near.join('、')}` : '；用 mingbai packs 查看全部编号'}`);
      }
      print(renderPolicy(policy, pack));
    });

  program.command('coverage')
    .description('逐段列出政策原文由哪条规则编码，或为何不编码')
    .option('--markdown', '输出 Markdown（docs/coverage.md）')
    .action((opts: { markdown?: boolean }) => {
      const seeds = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
      print(renderCoverage(coverAllSeeds(loadPacks(), SEEDS_DIR, seeds), opts.markdown ?? false));
    });

  program.command('demo')
    .description('用 examples/ 中的示例家庭演示测算')
    .action(() => runDemo(print));

  return program;
}

/** Commander speaks English; users read Chinese. */
export function translateCommanderError(text: string): string {
  const rules: [RegExp, (...m: string[]) => string][] = [
    [/unknown command '([^']*)'/, (c) => `错误：未知命令“${c}”（可用：screen、print、validate、packs、explain、coverage、demo）`],
    [/missing required argument '([^']*)'/, (a) => `错误：缺少参数 ${a}`],
    [/unknown option '([^']*)'/, (o) => `错误：未知选项 ${o}`],
    [/option '([^']*)' argument missing/, (o) => `错误：选项 ${o} 缺少取值`],
    [/too many arguments/, () => '错误：参数过多'],
  ];
  for (const [pattern, say] of rules) {
    const m = pattern.exec(text);
    if (m) return say(...m.slice(1));
  }
  return text;
}

function parseLocal(pairs: string[]) {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const [name, value] = pair.split('=');
    if (!name || value === undefined) throw new DomainError('invalid_input', `当地参数“${pair}”格式应为 名称=金额（元）`);
    values[name] = value;
  }
  try {
    return localFactsFromYuan(values);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('invalid_input', `当地参数金额无效：${(error as Error).message}`);
  }
}

/** Runs the CLI; returns the exit code. Users see Chinese messages, never a stack trace. */
export async function run(argv: string[], print: (text: string) => void = (t) => console.log(t)): Promise<number> {
  try {
    await buildProgram(print).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof InputError) {
      print(`错误：${error.message}`);
      for (const p of error.problems) print(`  ${p.path || '（整个文件）'}：${p.message}`);
      return 1;
    }
    if (error instanceof DomainError) {
      print(`错误：${error.message}`);
      return 2;
    }
    print(`内部错误：${(error as Error).message}（请将此信息反馈给系统管理员）`);
    if (process.env.MINGBAI_DEBUG) print(String((error as Error).stack));
    return 3;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await run(process.argv.slice(2));
}
