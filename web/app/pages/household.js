// One household: who they are, what they are entitled to and why, what is missing, the helper's measures, what-if, history, edit, 明白纸.
import { ElMessage, ElMessageBox } from 'element-plus';
import { api, download, saveBlob } from '../lib/api.js';
import { ACTION, areaText, dateTime, valueText } from '../lib/format.js';
import { navigate, route } from '../lib/router.js';
import { describePath, fieldForInput } from '../lib/schema.js';
import { can, defaultDate, loadPacks, packsFor, store, today } from '../lib/store.js';
import { HouseholdEditor } from '../components/editor.js';
import { MeasuresView } from '../components/measures.js';
import { ScreeningView } from '../components/screening.js';
import { WhatIfPanel } from '../components/whatif.js';

const TABS = ['result', 'measures', 'whatif', 'family', 'history'];

export const HouseholdPage = {
  name: 'HouseholdPage',
  components: { ScreeningView, MeasuresView, WhatIfPanel, HouseholdEditor },
  data: () => ({
    record: null,
    loadError: null,
    screening: null,
    screeningKind: 'live',
    screeningError: null,
    screeningLoading: false,
    date: today(),
    facts: null,
    showUnknownFacts: false,
    history: null,
    editing: false,
    pdfLoading: false,
    pdfProgress: 0,
    saving: false,
  }),
  computed: {
    id() {
      return route.params.id;
    },
    tab: {
      get() {
        return TABS.includes(route.query.tab) ? route.query.tab : 'result';
      },
      set(tab) {
        navigate({ path: route.path, query: { ...route.query, tab } }, { replace: true });
      },
    },
    h() {
      return this.record?.household;
    },
    head() {
      return this.h?.members.find((m) => m.relation === '户主') ?? this.h?.members[0];
    },
    currentCategories() {
      const now = today();
      return (this.h?.categories ?? []).filter((c) => c.from <= now && (!c.to || c.to >= now));
    },
    packsUsed() {
      const list = this.screening?.result.packs ?? [];
      return list.map((p) => {
        const pack = (store.packs ?? []).find((x) => x.id === p.id);
        return `${pack ? pack.name : p.id}（${p.version}）`;
      });
    },
    stale() {
      return this.screeningKind === 'stored' ? this.screening?.stale : null;
    },
    canEdit() {
      return can('household.update');
    },
    canStore() {
      return can('screening.store');
    },
    canReveal() {
      return can('idcard.reveal');
    },
    canPrint() {
      return can('export');
    },
    categoryHistory() {
      return (this.history ?? []).flatMap((e) => e.changes.filter((c) => c.path.startsWith('categories')).map((c) => ({ ...c, version: e.version, at: e.at, username: e.username })));
    },
    incomeText() {
      const i = this.h?.incomePerHead;
      return i ? `${i.amountYuan} 元/${i.period}` : '未登记';
    },
    datePacksNote() {
      if (!this.h) return '';
      const p = packsFor(this.h.area.county, this.date);
      return p.length ? '' : `所选日期没有适用于${this.h.area.county}的政策包`;
    },
  },
  watch: {
    id: { immediate: true, handler() { if (this.id) this.load(); } },
    tab(t) {
      this.loadTab(t);
    },
  },
  methods: {
    areaText,
    dateTime,
    valueText,
    action: (a) => ACTION[a],
    async load() {
      this.record = null;
      this.loadError = null;
      this.screening = null;
      this.facts = null;
      this.history = null;
      try {
        await loadPacks();
        this.record = await api('GET', `/households/${encodeURIComponent(this.id)}`);
      } catch (e) {
        this.loadError = e;
        return;
      }
      await this.loadScreening();
      this.loadTab(this.tab);
    },
    async loadScreening() {
      const sid = this.record.latestScreeningId;
      this.screeningError = null;
      if (sid) {
        try {
          this.screening = await api('GET', `/households/${encodeURIComponent(this.id)}/screenings/${sid}`);
          this.screeningKind = 'stored';
          this.date = this.screening.date;
          return;
        } catch {
          // Fall back to screening now.
        }
      }
      this.date = defaultDate(this.record.household.area.county);
      await this.screenNow();
    },
    async screenNow() {
      this.screeningLoading = true;
      this.screeningError = null;
      try {
        const r = await api('POST', `/households/${encodeURIComponent(this.id)}/preview`, { body: { date: this.date } });
        this.screening = { ...r, date: this.date };
        this.screeningKind = 'live';
      } catch (e) {
        this.screeningError = e;
        this.screening = null;
      } finally {
        this.screeningLoading = false;
      }
    },
    async saveScreening() {
      this.saving = true;
      try {
        const stored = await api('POST', `/households/${encodeURIComponent(this.id)}/screenings`, { body: { date: this.date } });
        this.screening = { ...stored, stale: { householdChanged: false, packsChanged: false } };
        this.screeningKind = 'stored';
        this.record = { ...this.record, latestScreeningId: stored.id };
        ElMessage.success('测算结果已保存');
      } catch (e) {
        ElMessage.error(e.message);
      } finally {
        this.saving = false;
      }
    },
    async loadTab(tab) {
      if (!this.record) return;
      try {
        if ((tab === 'family') && (!this.facts || this.facts.date !== this.date)) {
          this.facts = await api('GET', `/households/${encodeURIComponent(this.id)}/facts`, { query: { date: this.date } });
        }
        if ((tab === 'history' || tab === 'family') && !this.history) {
          this.history = await api('GET', `/households/${encodeURIComponent(this.id)}/history`);
        }
      } catch (e) {
        ElMessage.error(e.message);
      }
    },
    async reveal(index) {
      try {
        const r = await api('GET', `/households/${encodeURIComponent(this.id)}/members/${index}/id-number`);
        await ElMessageBox.alert(`${r.name}：${r.idNumber}`, '完整身份证号（本次查看已记入审计日志）', { confirmButtonText: '关闭' });
      } catch (e) {
        if (e?.message) ElMessage.error(e.message);
      }
    },
    async printPdf() {
      this.pdfLoading = true;
      this.pdfProgress = 0;
      try {
        const file = await download(`/households/${encodeURIComponent(this.id)}/mingbaizhi.pdf`, { query: { date: this.date }, onProgress: (p) => { this.pdfProgress = p; } });
        saveBlob(file.blob, file.name);
        ElMessage.success(`已生成 ${file.name}`);
      } catch (e) {
        ElMessage.error(e.message);
      } finally {
        this.pdfLoading = false;
      }
    },
    onSaved(saved) {
      this.record = { ...this.record, ...saved };
      this.history = null;
      this.facts = null;
      if (this.screeningKind === 'stored' && this.screening) this.screening = { ...this.screening, stale: { ...(this.screening.stale ?? {}), householdChanged: true } };
      else this.screenNow();
      this.loadTab(this.tab);
    },
    fill({ decision, missing }) {
      const target = fieldForInput(missing.input);
      this.tab = 'whatif';
      this.$nextTick(() => this.$refs.whatif?.prefill({ ...target, memberIndex: decision.member?.index }));
    },
    memberFacts(index) {
      const m = this.facts?.members.find((x) => x.index === index);
      return (m?.facts ?? []).filter((f) => this.showUnknownFacts || f.value !== null);
    },
    householdFactList() {
      return (this.facts?.household ?? []).filter((f) => this.showUnknownFacts || f.value !== null);
    },
    describe(path) {
      return describePath(path, store.meta.householdSchema, this.h);
    },
  },
  template: `
    <div class="page household-page">
      <el-result v-if="loadError" icon="warning" :title="loadError.status === 404 ? '找不到这户' : '加载失败'" :sub-title="loadError.message">
        <template #extra><el-button type="primary" @click="$go('/households')">返回户查询</el-button></template>
      </el-result>
      <div v-else-if="!record" v-loading="true" class="loading-block" element-loading-text="正在加载户信息……"></div>
      <template v-else>
        <div class="hh-header">
          <div class="hh-title">
            <r-link to="/households" class="back">‹ 户查询</r-link>
            <h2>{{ head ? head.name : record.id }} 户</h2>
            <el-tag v-for="c in currentCategories" :key="c.type + c.from" :type="c.type === '监测户' ? 'danger' : 'primary'" effect="light">{{ c.type }}{{ c.class ? '·' + c.class : '' }}</el-tag>
          </div>
          <div class="hh-actions">
            <el-button v-if="canEdit" class="edit-household" @click="editing = true">编辑户信息</el-button>
            <el-button v-if="canPrint" type="primary" :loading="pdfLoading" class="print-pdf" @click="printPdf">
              {{ pdfLoading && pdfProgress ? '正在生成 ' + pdfProgress + '%' : '打印明白纸' }}
            </el-button>
          </div>
        </div>
        <el-descriptions :column="store.isPhone ? 1 : 3" border size="small" class="hh-info">
          <el-descriptions-item label="户编号">{{ record.id }}</el-descriptions-item>
          <el-descriptions-item label="所在区划">{{ areaText(h.area) }}</el-descriptions-item>
          <el-descriptions-item label="家庭人口">{{ h.members.length }} 人</el-descriptions-item>
          <el-descriptions-item label="人均收入">{{ incomeText }}</el-descriptions-item>
          <el-descriptions-item label="版本">第 {{ record.version }} 版</el-descriptions-item>
          <el-descriptions-item label="更新时间">{{ dateTime(record.updatedAt) }}</el-descriptions-item>
        </el-descriptions>

        <el-tabs v-model="tab" class="hh-tabs">
          <el-tab-pane label="政策测算" name="result">
            <div class="screen-bar">
              <div class="screen-bar-row">
                <span class="muted">测算日期</span>
                <el-date-picker v-model="date" type="date" value-format="YYYY-MM-DD" :clearable="false" class="screen-date" @change="screenNow" />
                <el-button :loading="screeningLoading" @click="screenNow">重新测算</el-button>
                <el-button v-if="canStore && screeningKind === 'live' && screening" type="success" plain :loading="saving" class="save-screening" @click="saveScreening">保存测算结果</el-button>
              </div>
              <div class="screen-meta">
                <el-tag v-if="screeningKind === 'stored'" type="success" effect="plain" size="small">已保存的测算</el-tag>
                <el-tag v-else type="info" effect="plain" size="small">即时测算（未保存）</el-tag>
                <span v-if="screeningKind === 'stored' && screening" class="muted">{{ screening.username || '系统' }} 于 {{ dateTime(screening.createdAt) }} 保存</span>
                <span v-if="packsUsed.length" class="muted">政策包：{{ packsUsed.join('、') }}</span>
                <el-tag v-if="stale && stale.householdChanged" type="warning" size="small">户信息已变更，建议重新测算</el-tag>
                <el-tag v-if="stale && stale.packsChanged" type="warning" size="small">政策包已更新，建议重新测算</el-tag>
              </div>
            </div>
            <el-alert v-if="screeningError" type="error" :closable="false" show-icon :title="screeningError.message" class="block" />
            <div v-loading="screeningLoading">
              <screening-view v-if="screening" :result="screening.result" :totals="screening.totals" can-fill @fill="fill" />
            </div>
          </el-tab-pane>

          <el-tab-pane label="帮扶措施" name="measures">
            <measures-view v-if="screening" :result="screening.result" can-fill @fill="fill" />
          </el-tab-pane>

          <el-tab-pane label="假如测算" name="whatif">
            <what-if-panel ref="whatif" :key="record.version" :record="record" :base-date="date" />
          </el-tab-pane>

          <el-tab-pane label="家庭信息" name="family">
            <div class="family">
              <div class="family-toolbar">
                <el-switch v-model="showUnknownFacts" active-text="显示未登记的信息项" />
                <span class="muted">信息按 {{ date }} 推算（年龄、在册类别等随日期变化）</span>
              </div>
              <h3 class="section-title">家庭成员（{{ h.members.length }} 人）</h3>
              <div class="member-cards">
                <el-card v-for="(m, i) in h.members" :key="i" shadow="never" class="member-card">
                  <template #header>
                    <div class="member-head">
                      <b>{{ m.name }}</b><el-tag size="small" effect="plain">{{ m.relation }}</el-tag>
                      <span class="id-number">{{ m.idNumber || '无身份证号' }}</span>
                      <el-button v-if="canReveal && m.idNumber" link size="small" type="primary" @click="reveal(i)">查看完整号码</el-button>
                    </div>
                  </template>
                  <div v-if="facts" class="fact-chips">
                    <span v-for="f in memberFacts(i)" :key="f.fact" class="fact-chip" :class="{ unknown: f.value === null }">{{ f.label }}：<b>{{ f.value === null ? '未登记' : f.value }}</b></span>
                  </div>
                  <div v-else v-loading="true" class="loading-small"></div>
                </el-card>
              </div>
              <h3 class="section-title">户类别</h3>
              <el-table :data="h.categories" size="small" empty-text="未登记户类别" class="block">
                <el-table-column prop="type" label="类别" min-width="100" />
                <el-table-column label="细分" min-width="90"><template #default="{ row }">{{ row.class || '—' }}</template></el-table-column>
                <el-table-column prop="from" label="纳入日期" min-width="100" />
                <el-table-column label="退出日期" min-width="100"><template #default="{ row }">{{ row.to || '仍在册' }}</template></el-table-column>
                <el-table-column label="风险消除" min-width="80"><template #default="{ row }">{{ row.riskEliminated === undefined ? '—' : valueText(row.riskEliminated) }}</template></el-table-column>
                <el-table-column label="登记人" min-width="100"><template #default="{ row }">{{ row.recordedBy || '—' }}</template></el-table-column>
              </el-table>
              <div v-if="categoryHistory.length" class="category-history">
                <div class="muted">户类别变更记录：</div>
                <div v-for="c in categoryHistory" :key="c.version + c.path" class="change">
                  第 {{ c.version }} 版 · {{ c.username || '系统' }} · {{ dateTime(c.at) }}：{{ describe(c.path) }} <s>{{ valueText(c.before) }}</s> → <b>{{ valueText(c.after) }}</b>
                </div>
              </div>
              <h3 class="section-title">户的情况</h3>
              <div v-if="facts" class="fact-chips">
                <span v-for="f in householdFactList()" :key="f.fact" class="fact-chip" :class="{ unknown: f.value === null }">{{ f.label }}：<b>{{ f.value === null ? '未登记' : f.value }}</b></span>
              </div>
            </div>
          </el-tab-pane>

          <el-tab-pane label="变更记录" name="history">
            <div v-if="!history" v-loading="true" class="loading-small"></div>
            <el-timeline v-else class="history">
              <el-timeline-item v-for="e in [...history].reverse()" :key="e.version" :timestamp="dateTime(e.at)" placement="top">
                <div><b>第 {{ e.version }} 版</b>&#12288;{{ action(e.action) }}&#12288;<span class="muted">{{ e.username || '系统' }}</span></div>
                <ul v-if="e.changes.length" class="history-changes">
                  <li v-for="c in e.changes" :key="c.path">{{ describe(c.path) }}：<s>{{ valueText(c.before) }}</s> → <b>{{ valueText(c.after) }}</b></li>
                </ul>
              </el-timeline-item>
            </el-timeline>
          </el-tab-pane>
        </el-tabs>
        <household-editor v-if="canEdit" v-model="editing" :record="record" @saved="onSaved" @reload="load" />
      </template>
    </div>
  `,
};
