/* global document, window */
// The app shell: Element Plus in Chinese, login guard, top navigation, and the page for the current route.
import { computed, createApp, watch } from 'vue';
import ElementPlus, { ElMessage } from 'element-plus';
import zhCn from 'element-plus/zh-cn';
import { api, hooks, session, setToken } from './lib/api.js';
import { navigate, route, RouterLink, startRouter } from './lib/router.js';
import { can, clearCaches, loadMeta, store } from './lib/store.js';
import { scopeText } from './lib/format.js';
import { LoginPage } from './pages/login.js';
import { HouseholdsPage } from './pages/households.js';
import { HouseholdPage } from './pages/household.js';
import { ImportPage } from './pages/import.js';
import { ExportPage } from './pages/export.js';
import { PoliciesPage, PolicyPage } from './pages/policies.js';

const PAGES = {
  login: LoginPage, households: HouseholdsPage, household: HouseholdPage, import: ImportPage, export: ExportPage, policies: PoliciesPage, policy: PolicyPage,
};

const NAV = [
  { path: '/households', label: '户查询', match: ['households', 'household'] },
  { path: '/import', label: '导入', match: ['import'], permission: 'import' },
  { path: '/export', label: '导出与打印', match: ['export'], permission: 'export' },
  { path: '/policies', label: '政策库', match: ['policies', 'policy'] },
];

const App = {
  name: 'MingbaiApp',
  setup() {
    const page = computed(() => (route.name !== 'login' && !session.user ? null : PAGES[route.name] ?? HouseholdsPage));
    const nav = computed(() => NAV.filter((n) => !n.permission || can(n.permission)));
    const active = computed(() => NAV.find((n) => n.match.includes(route.name))?.path ?? '');
    watch(() => route.path, () => { document.title = `${titleOf(route.name)} · 明白`; }, { immediate: true });
    async function logout() {
      try {
        await api('POST', '/auth/logout');
      } catch {
        // The session may already be gone.
      }
      setToken(null);
      session.user = null;
      clearCaches();
      navigate('/login', { replace: true });
    }
    return { page, nav, active, route, session, store, logout, scopeText, navigate };
  },
  template: `
    <login-page v-if="route.name === 'login'" />
    <div v-else-if="!session.user" class="boot">正在加载……</div>
    <div v-else class="shell">
      <header class="topbar">
        <r-link to="/households" class="brand"><span class="brand-mark">明</span><span class="brand-name">明白</span><span class="brand-sub">政策明白系统</span></r-link>
        <nav v-if="!store.isPhone" class="nav">
          <r-link v-for="n in nav" :key="n.path" :to="n.path" class="nav-link" :class="{ active: active === n.path }">{{ n.label }}</r-link>
        </nav>
        <div class="spacer"></div>
        <el-dropdown trigger="click" class="user-menu">
          <span class="user-name">{{ store.isPhone ? '☰ 菜单' : session.user.displayName + ' ▾' }}</span>
          <template #dropdown>
            <el-dropdown-menu>
              <el-dropdown-item disabled>{{ session.user.displayName }}</el-dropdown-item>
              <el-dropdown-item disabled>{{ session.user.role }} · {{ scopeText(session.user.scope) }}</el-dropdown-item>
              <template v-if="store.isPhone">
                <el-dropdown-item v-for="(n, i) in nav" :key="n.path" :divided="i === 0" @click="navigate(n.path)">{{ n.label }}</el-dropdown-item>
              </template>
              <el-dropdown-item divided @click="navigate('/policies')" v-if="!store.isPhone">政策库</el-dropdown-item>
              <el-dropdown-item @click="window.open('/docs', '_blank')">接口文档</el-dropdown-item>
              <el-dropdown-item divided class="logout" @click="logout">退出登录</el-dropdown-item>
            </el-dropdown-menu>
          </template>
        </el-dropdown>
      </header>
      <main class="main"><component :is="page" :key="route.name === 'household' ? route.params.id : route.name" /></main>
    </div>
  `,
};

function titleOf(name) {
  return { login: '登录', households: '户查询', household: '户详情', import: '导入', export: '导出与打印', policies: '政策库', policy: '政策详情' }[name] ?? '明白';
}

async function boot() {
  startRouter();
  await loadMeta();
  hooks.onUnauthenticated = () => {
    session.user = null;
    if (route.name !== 'login') {
      ElMessage.warning('登录已过期，请重新登录');
      navigate({ path: '/login', query: { next: route.path } }, { replace: true });
    }
  };
  const app = createApp(App);
  app.use(ElementPlus, { locale: zhCn });
  app.component('RLink', RouterLink);
  app.component('LoginPage', LoginPage);
  app.config.globalProperties.store = store;
  app.config.globalProperties.window = window;
  app.config.globalProperties.$go = navigate;
  app.config.errorHandler = (error) => {
    ElMessage.error(error?.message ?? String(error));
    window.console.error(error);
  };
  app.mount('#app');
  if (session.token) {
    try {
      session.user = await api('GET', '/auth/me');
      if (route.name === 'login') navigate('/households', { replace: true });
    } catch {
      setToken(null);
    }
  }
  if (!session.user && route.name !== 'login') {
    navigate({ path: '/login', query: route.path !== '/households' ? { next: route.path + window.location.search } : {} }, { replace: true });
  }
}

boot();
