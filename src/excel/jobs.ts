/**
 * @module Import jobs: an uploaded file imported in the background, one job at a time, with progress the client polls.
 * Jobs live in this process's memory (their file in a temporary folder until the job ends); a finished job is kept for an
 * hour. The import itself is the all-or-nothing one of import.ts: a job that fails, or a server stopped mid-way, wrote nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '../core/errors.ts';
import type { Actor } from '../auth/roles.ts';
import type { SqlDatabase } from '../storage/sql.ts';
import { importWorkbookFile, type ImportProgress, type ImportResult } from './import.ts';

export type JobStatus = 'queued' | 'reading' | 'validating' | 'writing' | 'done' | 'failed';

export interface JobError { error: string; message: string; problems?: { path: string; message: string; row?: number; column?: string }[] }

export interface ImportJob {
  id: string;
  status: JobStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Size of the uploaded file. */
  bytes: number;
  /** A rough overall percentage: reading the file up to 40, checking up to 50, writing up to 100. */
  percent: number;
  progress: ImportProgress;
  result: ImportResult | null;
  /** Why the import was refused (nothing written): the same body as the synchronous route's 4xx answer. */
  error: JobError | null;
  /** The HTTP status the synchronous route would have answered with. */
  httpStatus: number | null;
}

interface Entry { job: ImportJob; owner: { userId: number | null; username: string }; actor: Actor; file: string; finished: number | null }

const KEEP_MS = 3600_000;
const MAX_JOBS = 200;

const STATUS_OF: Record<string, number> = { invalid_input: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, unknown_area: 422 };

function percentOf(p: ImportProgress, status: JobStatus): number {
  if (status === 'done') return 100;
  if (status === 'queued') return 0;
  if (p.phase === 'reading') return p.bytesTotal ? Math.min(40, Math.floor((40 * p.bytesRead) / p.bytesTotal)) : 0;
  if (p.phase === 'validating') return 40 + (p.rowsRead ? Math.floor((10 * p.rowsValidated) / p.rowsRead) : 0);
  if (p.phase === 'writing') return 50 + (p.households ? Math.floor((50 * p.householdsWritten) / p.households) : 0);
  return 100;
}

export class ImportJobs {
  private readonly jobs = new Map<string, Entry>();
  private queue: Promise<void> = Promise.resolve();
  private readonly dir: string;
  private closed = false;

  constructor(private readonly db: SqlDatabase, private readonly log: (error: unknown) => void = () => undefined) {
    this.dir = mkdtempSync(join(tmpdir(), 'mingbai-imports-'));
  }

  /** A path in the jobs' temporary folder for an upload. */
  uploadPath(): string {
    return join(this.dir, `${randomUUID()}.xlsx`);
  }

  /** Queues the import of `file` (which the job now owns and deletes when done). */
  submit(actor: Actor, file: string, bytes: number): ImportJob {
    if (this.closed) throw new DomainError('forbidden', '服务正在停止，请稍后重新上传');
    this.prune();
    const now = new Date().toISOString();
    const job: ImportJob = {
      id: randomUUID(), status: 'queued', createdAt: now, startedAt: null, finishedAt: null, bytes, percent: 0,
      progress: { phase: 'reading', rowsRead: 0, rowsValidated: 0, rowsWritten: 0, households: 0, householdsWritten: 0, bytesRead: 0, bytesTotal: bytes },
      result: null, error: null, httpStatus: null,
    };
    const entry: Entry = { job, owner: { userId: actor.userId, username: actor.username }, actor, file, finished: null };
    this.jobs.set(job.id, entry);
    this.queue = this.queue.then(() => this.run(entry));
    return { ...job };
  }

  /** The job, for the user who submitted it only. */
  get(actor: Actor, id: string): ImportJob {
    this.prune();
    const entry = this.jobs.get(id);
    if (!entry || entry.owner.userId !== actor.userId || entry.owner.username !== actor.username) {
      throw new DomainError('not_found', `导入任务“${id}”不存在或已过期（任务结果保留1小时，服务重启后不保留）`);
    }
    return { ...entry.job, progress: { ...entry.job.progress } };
  }

  /** Lets the running job finish (its transaction commits or rolls back), drops the queued ones, removes the temporary folder. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async run(entry: Entry): Promise<void> {
    const { job } = entry;
    if (this.closed) {
      Object.assign(job, { status: 'failed', finishedAt: new Date().toISOString(), httpStatus: 503, error: { error: 'stopped', message: '服务已停止，此导入任务未执行，未写入任何数据；请重新上传' } });
      entry.finished = Date.now();
      rmSync(entry.file, { force: true });
      return;
    }
    job.startedAt = new Date().toISOString();
    job.status = 'reading';
    try {
      job.result = await importWorkbookFile(this.db, entry.actor, entry.file, {
        onProgress: (p) => {
          job.progress = p;
          job.status = p.phase === 'done' ? 'writing' : p.phase;
          job.percent = percentOf(p, job.status);
        },
      });
      job.status = 'done';
      job.httpStatus = 200;
    } catch (error) {
      job.status = 'failed';
      if (error instanceof DomainError) {
        const details = (error.details ?? {}) as { problems?: JobError['problems'] };
        job.error = { error: error.code, message: error.message, ...(details.problems ? { problems: details.problems } : {}) };
        job.httpStatus = STATUS_OF[error.code] ?? 500;
      } else {
        this.log(error);
        job.error = { error: 'internal', message: '服务器内部错误，导入未写入任何数据；请稍后重试或联系管理员' };
        job.httpStatus = 500;
      }
    } finally {
      job.finishedAt = new Date().toISOString();
      job.percent = job.status === 'done' ? 100 : job.percent;
      entry.finished = Date.now();
      rmSync(entry.file, { force: true });
    }
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, e] of this.jobs) if (e.finished !== null && now - e.finished > KEEP_MS) this.jobs.delete(id);
    if (this.jobs.size > MAX_JOBS) {
      const finished = [...this.jobs.entries()].filter(([, e]) => e.finished !== null).sort(([, a], [, b]) => (a.finished as number) - (b.finished as number));
      for (const [id] of finished.slice(0, this.jobs.size - MAX_JOBS)) this.jobs.delete(id);
    }
  }
}
