/* global window, URLSearchParams */
// A small history router: named routes with :params, the current route as reactive state, and <r-link>.
import { reactive } from 'vue';

const ROUTES = [
  { name: 'login', path: '/login' },
  { name: 'households', path: '/households' },
  { name: 'household', path: '/households/:id' },
  { name: 'import', path: '/import' },
  { name: 'export', path: '/export' },
  { name: 'policies', path: '/policies' },
  { name: 'policy', path: '/policies/:id' },
];

export const route = reactive({ name: 'households', path: '/', params: {}, query: {} });

function match(pathname) {
  for (const r of ROUTES) {
    const names = [];
    const pattern = new RegExp(`^${r.path.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; })}/?$`);
    const m = pattern.exec(pathname);
    if (m) return { name: r.name, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

function sync() {
  const { pathname, search } = window.location;
  const found = match(pathname) ?? { name: 'households', params: {} };
  route.name = found.name;
  route.params = found.params;
  route.path = pathname;
  route.query = Object.fromEntries(new URLSearchParams(search));
}

export function href(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${path}${qs ? `?${qs}` : ''}`;
}

/** Goes to a path ('/households/x') or { path, query }; replace keeps the history entry. */
export function navigate(to, { replace = false } = {}) {
  const target = typeof to === 'string' ? to : href(to.path, to.query);
  if (target === window.location.pathname + window.location.search) return;
  window.history[replace ? 'replaceState' : 'pushState']({}, '', target);
  sync();
  if (!replace) window.scrollTo(0, 0);
}

export function startRouter() {
  window.addEventListener('popstate', sync);
  if (window.location.pathname === '/' || !match(window.location.pathname)) window.history.replaceState({}, '', '/households');
  sync();
}

export const RouterLink = {
  name: 'RLink',
  props: { to: { type: [String, Object], required: true } },
  computed: {
    target() {
      return typeof this.to === 'string' ? this.to : href(this.to.path, this.to.query);
    },
  },
  methods: {
    go(e) {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(this.target);
    },
  },
  template: '<a :href="target" @click="go"><slot /></a>',
};
