// Excel import: template download, upload with progress, and every problem by row and column (nothing is written when any row is wrong).
import { ElMessage } from 'element-plus';
import { download, saveBlob, upload } from '../lib/api.js';
import { can } from '../lib/store.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const ImportPage = {
  name: 'ImportPage',
  data: () => ({ file: null, fileList: [], progress: 0, uploading: false, result: null, error: null, templateLoading: false }),
  computed: {
    allowed() {
      return can('import');
    },
    problems() {
      return [...(this.error?.body?.problems ?? [])].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    },
    problemRows() {
      return new Set(this.problems.map((p) => p.row).filter((r) => r)).size;
    },
  },
  methods: {
    async template() {
      this.templateLoading = true;
      try {
        const f = await download('/excel/template');
        saveBlob(f.blob, f.name);
      } catch (e) {
        ElMessage.error(e.message);
      } finally {
        this.templateLoading = false;
      }
    },
    onChange(file) {
      this.file = file.raw;
      this.fileList = [file];
      this.result = null;
      this.error = null;
      this.progress = 0;
    },
    onRemove() {
      this.file = null;
      this.fileList = [];
    },
    async start() {
      if (!this.file) {
        ElMessage.warning('请先选择 .xlsx 文件');
        return;
      }
      this.uploading = true;
      this.result = null;
      this.error = null;
      this.progress = 0;
      try {
        this.result = await upload('/excel/import', this.file, XLSX, (p) => { this.progress = p; });
      } catch (e) {
        this.error = e;
      } finally {
        this.uploading = false;
      }
    },
  },
  template: `
    <div class="page import-page">
      <h2 class="page-title">导入户信息（Excel）</h2>
      <el-alert v-if="!allowed" type="warning" :closable="false" show-icon title="您的角色无权导入 Excel（区县管理员、镇街、村社用户可以导入）" class="block" />
      <el-card v-else shadow="never">
        <el-steps :active="result ? 3 : file ? 2 : 1" finish-status="success" simple class="block">
          <el-step title="下载模板" /><el-step title="选择文件" /><el-step title="导入" />
        </el-steps>
        <p class="muted">按模板填写：每行一名成员，同一户的成员户编号相同；身份证号已登记的户会被更新，可重复导入。任何一行有误则整份文件都不写入，并列出每处问题。</p>
        <el-button :loading="templateLoading" class="download-template" @click="template">下载导入模板</el-button>
        <el-upload class="upload block" drag :auto-upload="false" :limit="1" accept=".xlsx" :file-list="fileList" :on-change="onChange" :on-remove="onRemove" :on-exceed="(files) => onChange({ raw: files[0], name: files[0].name })">
          <div class="el-upload__text">将 .xlsx 文件拖到此处，或 <em>点击选择文件</em></div>
        </el-upload>
        <el-button type="primary" :loading="uploading" :disabled="!file" class="start-import" @click="start">开始导入</el-button>
        <el-progress v-if="uploading || progress" :percentage="progress" :status="error ? 'exception' : result ? 'success' : ''" class="block import-progress" />
        <div v-if="uploading && progress === 100" class="muted">文件已上传，正在逐行检查……</div>

        <el-result v-if="result" icon="success" title="导入成功" class="import-result"
          :sub-title="'共 ' + result.rows + ' 行：新增 ' + result.created.length + ' 户，更新 ' + result.updated.length + ' 户，未变 ' + result.unchanged.length + ' 户'">
          <template #extra>
            <div class="imported-links">
              <r-link v-for="id in [...result.created, ...result.updated]" :key="id" :to="'/households/' + encodeURIComponent(id)">{{ id }}</r-link>
            </div>
          </template>
        </el-result>
        <div v-if="error" class="import-errors">
          <el-alert type="error" :closable="false" show-icon :title="error.message" class="block" />
          <template v-if="problems.length">
            <div class="muted block">共 {{ problems.length }} 处问题，涉及 {{ problemRows }} 行。请在 Excel 中改正后重新导入：</div>
            <el-table :data="problems" size="small" border class="problem-table" max-height="480">
              <el-table-column label="行号" width="70"><template #default="{ row }">{{ row.row ? '第' + row.row + '行' : '—' }}</template></el-table-column>
              <el-table-column label="列" min-width="110"><template #default="{ row }">{{ row.column || '—' }}</template></el-table-column>
              <el-table-column prop="message" label="问题" min-width="240" />
            </el-table>
          </template>
        </div>
      </el-card>
    </div>
  `,
};
