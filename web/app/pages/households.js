// Finding households: by name, 身份证号 (full or last digits), area, category and screening status; masked numbers; pages.
import { ElMessage } from 'element-plus';
import { api, download, saveBlob, session } from '../lib/api.js';
import { areaText, dateTime } from '../lib/format.js';
import { navigate, route } from '../lib/router.js';
import { areaOptions, can, defaultDate, loadAreas, loadPacks, store } from '../lib/store.js';

const FILTERS = ['name', 'idNumber', 'town', 'village', 'category', 'status'];

export const HouseholdsPage = {
  name: 'HouseholdsPage',
  data: () => ({
    form: { name: '', idNumber: '', area: [], category: '', status: '' },
    items: [],
    total: 0,
    loading: false,
    error: null,
    printing: false,
    moreFilters: false,
  }),
  computed: {
    routeQuery() {
      return route.query;
    },
    page() {
      return Number(route.query.page ?? 1) || 1;
    },
    pageSize() {
      return Number(route.query.pageSize ?? 20) || 20;
    },
    categories() {
      return store.meta?.householdCategories ?? [];
    },
    areaOptions() {
      return areaOptions();
    },
    lockedArea() {
      return session.user?.scope?.village ? `${session.user.scope.town} ${session.user.scope.village}` : '';
    },
    village() {
      return route.query.village || session.user?.scope?.village || '';
    },
    town() {
      return route.query.town || session.user?.scope?.town || '';
    },
    canPrint() {
      return can('export') && this.village && this.town;
    },
    pagerLayout() {
      return store.isPhone ? 'prev, pager, next' : 'total, sizes, prev, pager, next, jumper';
    },
  },
  watch: {
    routeQuery: { immediate: true, handler() { if (route.name === 'households') this.fetch(); } },
  },
  created() {
    loadAreas().catch(() => {});
    loadPacks().catch(() => {});
  },
  methods: {
    areaText,
    dateTime,
    syncForm() {
      const q = route.query;
      if (q.town || q.village || q.category || q.status) this.moreFilters = true;
      this.form = {
        name: q.name ?? '', idNumber: q.idNumber ?? '', category: q.category ?? '', status: q.status ?? '',
        area: [q.town, q.village].filter(Boolean),
      };
    },
    async fetch() {
      this.syncForm();
      this.loading = true;
      this.error = null;
      const query = { page: this.page, pageSize: this.pageSize };
      for (const k of FILTERS) if (route.query[k]) query[k] = route.query[k];
      try {
        const res = await api('GET', '/households', { query });
        this.items = res.items;
        this.total = res.total;
      } catch (e) {
        this.error = e;
        this.items = [];
        this.total = 0;
      } finally {
        this.loading = false;
      }
    },
    search() {
      const f = this.form;
      const id = f.idNumber.trim().toUpperCase();
      if (id && !(id.length === 18 || /^[\dX]{4,17}$/.test(id))) {
        ElMessage.warning('身份证号请填完整的18位号码，或末尾至少4位');
        return;
      }
      navigate({ path: '/households', query: {
        name: f.name.trim(), idNumber: id, town: f.area[0], village: f.area[1], category: f.category, status: f.status, pageSize: route.query.pageSize,
      } });
    },
    reset() {
      navigate('/households');
    },
    go(page, pageSize = this.pageSize) {
      navigate({ path: '/households', query: { ...route.query, page, pageSize } });
    },
    open(row) {
      navigate(`/households/${encodeURIComponent(row.id)}`);
    },
    async printVillage() {
      this.printing = true;
      try {
        const date = defaultDate(session.user?.scope?.county ?? this.items[0]?.area.county);
        const file = await download('/mingbaizhi.pdf', { query: { town: this.town, village: this.village, date } });
        saveBlob(file.blob, file.name);
      } catch (e) {
        ElMessage.error(e.message);
      } finally {
        this.printing = false;
      }
    },
  },
  template: `
    <div class="page households-page">
      <el-card shadow="never" class="search-card">
        <el-form :inline="!store.isPhone" :label-position="store.isPhone ? 'top' : 'left'" class="search-form" @submit.prevent="search">
          <el-form-item label="姓名"><el-input v-model="form.name" clearable placeholder="任一成员姓名" class="search-name" /></el-form-item>
          <el-form-item label="身份证号"><el-input v-model="form.idNumber" clearable placeholder="完整号码或末4位" class="search-id" /></el-form-item>
          <div v-if="store.isPhone && !moreFilters" class="more-filters"><el-button link type="primary" @click="moreFilters = true">更多条件（区划、户类别、测算结果）</el-button></div>
          <template v-if="!store.isPhone || moreFilters">
          <el-form-item label="区划">
            <el-input v-if="lockedArea" :model-value="lockedArea" disabled />
            <el-cascader v-else v-model="form.area" :options="areaOptions" :props="{ checkStrictly: true }" clearable placeholder="镇街 / 村社" class="search-area" />
          </el-form-item>
          <el-form-item label="户类别">
            <el-select v-model="form.category" clearable placeholder="全部" class="search-category">
              <el-option v-for="c in categories" :key="c" :label="c" :value="c" />
            </el-select>
          </el-form-item>
          <el-form-item label="测算结果">
            <el-select v-model="form.status" clearable placeholder="不限" class="search-status">
              <el-option label="有待补充信息才能判断的政策" value="undetermined" />
              <el-option label="有可享受的政策" value="eligible" />
            </el-select>
          </el-form-item>
          </template>
          <el-form-item>
            <el-button type="primary" native-type="submit" class="do-search">查询</el-button>
            <el-button @click="reset">重置</el-button>
          </el-form-item>
        </el-form>
        <div class="search-note muted">测算结果按各户最近一次保存的测算筛选；可在“导出与打印”页批量测算。</div>
      </el-card>

      <div class="list-head">
        <span>共 <b class="total-count">{{ total }}</b> 户</span>
        <el-button v-if="canPrint" size="small" :loading="printing" class="print-village" @click="printVillage">打印{{ village }}全部明白纸</el-button>
      </div>
      <el-alert v-if="error" type="error" :title="error.message" show-icon :closable="false" class="block" />

      <div v-loading="loading">
        <div v-if="store.isPhone" class="household-cards">
          <el-empty v-if="!items.length && !loading" description="没有符合条件的户" />
          <div v-for="row in items" :key="row.id" class="household-card household-row" @click="open(row)">
            <div class="hc-top"><b>{{ row.headName }}</b><span class="muted">{{ row.size }} 人</span><span class="hc-id muted">{{ row.id }}</span></div>
            <div class="muted id-number">{{ row.headIdNumber || '—' }}</div>
            <div class="muted">{{ areaText(row.area) }}</div>
            <div class="hc-tags"><el-tag v-for="c in row.categories" :key="c" size="small">{{ c }}</el-tag></div>
          </div>
        </div>
        <el-table v-else :data="items" stripe class="household-table" row-class-name="household-row" empty-text="没有符合条件的户" @row-click="open">
          <el-table-column prop="id" label="户编号" min-width="120" />
          <el-table-column prop="headName" label="户主" min-width="90" />
          <el-table-column label="户主身份证号" min-width="180"><template #default="{ row }"><span class="id-number">{{ row.headIdNumber || '—' }}</span></template></el-table-column>
          <el-table-column prop="size" label="人数" width="70" />
          <el-table-column label="户类别" min-width="160"><template #default="{ row }"><el-tag v-for="c in row.categories" :key="c" size="small" class="tag-gap">{{ c }}</el-tag></template></el-table-column>
          <el-table-column label="所在区划" min-width="200"><template #default="{ row }">{{ areaText(row.area) }}</template></el-table-column>
          <el-table-column label="更新时间" min-width="140"><template #default="{ row }">{{ dateTime(row.updatedAt) }}</template></el-table-column>
          <el-table-column label="" width="80"><template #default="{ row }"><el-button link type="primary" @click.stop="open(row)">查看</el-button></template></el-table-column>
        </el-table>
      </div>
      <el-pagination v-if="total > 0" class="pager" background :layout="pagerLayout" :total="total" :current-page="page" :page-size="pageSize"
        :page-sizes="[20, 50, 100]" :pager-count="store.isPhone ? 5 : 7" @current-change="go" @size-change="(s) => go(1, s)" />
    </div>
  `,
};
