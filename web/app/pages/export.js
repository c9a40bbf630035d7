// Export and batch work: Excel exports, batch screening of an area, and printing a whole village's 明白纸.
import { ElMessage } from 'element-plus';
import { api, download, saveBlob, session } from '../lib/api.js';
import { areaOptions, can, defaultDate, loadAreas, loadPacks, store } from '../lib/store.js';

export const ExportPage = {
  name: 'ExportPage',
  data: () => ({
    busy: '',
    progress: 0,
    screenArea: [],
    screenDate: '',
    screenResult: null,
    printArea: [],
    printDate: '',
    duplex: false,
  }),
  computed: {
    county() {
      return session.user?.scope?.county ?? store.areas?.[0]?.county ?? '';
    },
    areaOptions() {
      return areaOptions();
    },
    canStore() {
      return can('screening.store');
    },
    canExport() {
      return can('export');
    },
  },
  async created() {
    await Promise.all([loadAreas(), loadPacks()]).catch(() => {});
    this.screenDate = defaultDate(this.county);
    this.printDate = defaultDate(this.county);
    const scope = session.user?.scope ?? {};
    if (scope.village) this.printArea = [scope.town, scope.village];
  },
  methods: {
    async file(path, query, what) {
      this.busy = what;
      this.progress = 0;
      try {
        const f = await download(path, { query, onProgress: (p) => { this.progress = p; } });
        saveBlob(f.blob, f.name);
        ElMessage.success(`已下载 ${f.name}`);
      } catch (e) {
        ElMessage.error(e.message);
      } finally {
        this.busy = '';
      }
    },
    async batchScreen() {
      this.busy = 'screen';
      this.screenResult = null;
      try {
        const [town, village] = this.screenArea;
        this.screenResult = await api('POST', '/screenings/batch', { body: { town, village, date: this.screenDate } });
      } catch (e) {
        ElMessage.error(e.message);
      } finally {
        this.busy = '';
      }
    },
    printVillage() {
      const [town, village] = this.printArea;
      if (!town || !village) {
        ElMessage.warning('请选择要打印的村社');
        return;
      }
      this.file('/mingbaizhi.pdf', { town, village, date: this.printDate, duplex: this.duplex ? '1' : undefined }, 'print');
    },
  },
  template: `
    <div class="page export-page">
      <h2 class="page-title">导出与打印</h2>
      <el-alert v-if="!canExport" type="warning" :closable="false" show-icon title="您的角色无权导出数据" class="block" />
      <template v-else>
        <el-card shadow="never" class="block">
          <template #header>导出 Excel（本辖区，身份证号脱敏）</template>
          <div class="button-row">
            <el-button :loading="busy === 'households'" :disabled="!!busy && busy !== 'households'" class="export-households" @click="file('/export/households.xlsx', {}, 'households')">导出户与成员</el-button>
            <el-button :loading="busy === 'screenings'" :disabled="!!busy && busy !== 'screenings'" class="export-screenings" @click="file('/export/screenings.xlsx', {}, 'screenings')">导出最近测算结果</el-button>
          </div>
          <el-progress v-if="busy === 'households' || busy === 'screenings'" :percentage="progress" :indeterminate="progress === 0" class="block" />
        </el-card>

        <el-card shadow="never" class="block">
          <template #header>整村打印明白纸（PDF，每户另起一页）</template>
          <el-form :inline="!store.isPhone" label-position="top" @submit.prevent>
            <el-form-item label="村社"><el-cascader v-model="printArea" :options="areaOptions" placeholder="镇街 / 村社" class="print-area" /></el-form-item>
            <el-form-item label="测算日期"><el-date-picker v-model="printDate" type="date" value-format="YYYY-MM-DD" :clearable="false" /></el-form-item>
            <el-form-item label="&#12288;"><el-checkbox v-model="duplex">双面打印（每户补足偶数页）</el-checkbox></el-form-item>
            <el-form-item label="&#12288;"><el-button type="primary" :loading="busy === 'print'" class="print-batch" @click="printVillage">生成 PDF</el-button></el-form-item>
          </el-form>
          <el-progress v-if="busy === 'print'" :percentage="progress" :indeterminate="progress === 0" class="block" />
        </el-card>

        <el-card v-if="canStore" shadow="never" class="block">
          <template #header>批量测算并保存（用于按测算结果查询户、导出测算结果）</template>
          <el-form :inline="!store.isPhone" label-position="top" @submit.prevent>
            <el-form-item label="范围"><el-cascader v-model="screenArea" :options="areaOptions" :props="{ checkStrictly: true }" clearable placeholder="本辖区全部" /></el-form-item>
            <el-form-item label="测算日期"><el-date-picker v-model="screenDate" type="date" value-format="YYYY-MM-DD" :clearable="false" /></el-form-item>
            <el-form-item label="&#12288;"><el-button type="primary" :loading="busy === 'screen'" class="batch-screen" @click="batchScreen">开始批量测算</el-button></el-form-item>
          </el-form>
          <el-progress v-if="busy === 'screen'" :percentage="100" indeterminate :show-text="false" class="block" />
          <el-alert v-if="screenResult" :type="screenResult.failed.length ? 'warning' : 'success'" :closable="false" show-icon class="block"
            :title="'共 ' + screenResult.total + ' 户，已测算并保存 ' + screenResult.screened + ' 户' + (screenResult.failed.length ? '，' + screenResult.failed.length + ' 户未能测算' : '')">
            <ul v-if="screenResult.failed.length" class="problems"><li v-for="f in screenResult.failed" :key="f.id">{{ f.id }}：{{ f.message }}</li></ul>
          </el-alert>
        </el-card>
      </template>
    </div>
  `,
};
