/**
 * Planning a GCP scan: listed projects need no call; a folder or the organization is walked to
 * any depth (`projects.list` and `folders.list` match direct children only), page by page, and
 * only ACTIVE projects and folders count. A listing that fails is an unscoped error over every
 * GCP type, so nothing GCP can PASS, and the projects found are still scanned.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GCP_TYPES } from '../../../functions/collect/gcp/collector.ts';
import {
  GCP_FIXTURES,
  type GcpEstate,
  type GcpFault,
  type GcpServer,
  type GcpServerOptions,
  startGcpServer,
} from '../../helpers/gcp-server.ts';
import { scanGcp, targetsFor, tokenAuth } from './harness.ts';

const TOKEN = 'test-access-token';
const project = (parent: string, state?: 'ACTIVE' | 'DELETE_REQUESTED') => ({
  parent,
  ...(state ? { state } : {}),
  clusters: [],
  iamPolicy: GCP_FIXTURES.forsetiPolicy,
});

/** organizations/1 > folders/10 > folders/20 > folders/30, and a folder pending deletion. */
const NESTED: GcpEstate = {
  folders: {
    'folders/10': { parent: 'organizations/1' },
    'folders/20': { parent: 'folders/10' },
    'folders/30': { parent: 'folders/20' },
    'folders/40': { parent: 'folders/10', state: 'DELETE_REQUESTED' },
  },
  projects: {
    'org-level-1': project('organizations/1'),
    'upper-a': project('folders/10'),
    'upper-b': project('folders/10'),
    'upper-c': project('folders/10'),
    'upper-deleted': project('folders/10', 'DELETE_REQUESTED'),
    'middle-a': project('folders/20'),
    'deep-a': project('folders/30'),
    'deep-b': project('folders/30'),
    'in-deleted-folder': project('folders/40'),
  },
};

let server: GcpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function plan(options: Omit<GcpServerOptions, 'accessTokens'>, projects: unknown) {
  server = await startGcpServer({ ...options, accessTokens: [TOKEN] });
  return scanGcp(targetsFor(server, { projects }), { auth: tokenAuth(TOKEN) });
}

describe('planning', () => {
  it('listed projects become units without any discovery call', async () => {
    const { units } = await plan({ estate: NESTED }, ['upper-b', 'upper-a']);
    expect(units).toEqual(['gcp upper-a', 'gcp upper-b']);
    const listings = server!.requests.filter(
      (r) => r.path === '/v3/projects' || r.path === '/v3/folders',
    );
    expect(listings).toEqual([]);
  });

  it.each([
    {
      scenario: 'a folder yields every ACTIVE project in it and in its sub-folders, page by page',
      projects: { folder: 'folders/10' },
      units: ['deep-a', 'deep-b', 'middle-a', 'upper-a', 'upper-b', 'upper-c'],
    },
    {
      scenario: 'the organization yields its own projects and every folder below',
      projects: { organization: 'organizations/1' },
      units: ['deep-a', 'deep-b', 'middle-a', 'org-level-1', 'upper-a', 'upper-b', 'upper-c'],
    },
    {
      scenario: 'a folder with nothing under it yields no unit and no error',
      projects: { folder: 'folders/30' },
      units: ['deep-a', 'deep-b'],
    },
  ])('$scenario', async ({ projects, units: expected }) => {
    const { units, inventory } = await plan({ estate: NESTED, pageSize: 2 }, projects);
    expect(units).toEqual(expected.map((p) => `gcp ${p}`));
    expect(inventory.errors).toEqual([]);
    // Paging was followed: folders/10 has three ACTIVE projects, two per page.
    const pages = server!.requests.filter(
      (r) => r.path === '/v3/projects' && r.query.parent === 'folders/10',
    );
    if ('folder' in projects && projects.folder === 'folders/10') {
      expect(pages.map((r) => r.query.pageToken)).toEqual([undefined, '2']);
    }
    for (const r of server!.requests) expect(r.status).toBe(200);
  });

  it.each([
    {
      scenario: 'a sub-folder whose projects cannot be listed: an unscoped error, the rest scanned',
      listFaults: { projects: { 'folders/20': { kind: 'denied' } } },
      operation: 'cloudresourcemanager.projects.list',
      units: ['deep-a', 'deep-b', 'upper-a', 'upper-b', 'upper-c'],
    },
    {
      scenario:
        'sub-folders that cannot be listed: an unscoped error, the folder own projects scanned',
      listFaults: { folders: { 'folders/10': { kind: 'denied' } } },
      operation: 'cloudresourcemanager.folders.list',
      units: ['upper-a', 'upper-b', 'upper-c'],
    },
    {
      scenario: 'a listing answering garbage: an unscoped error',
      listFaults: { projects: { 'folders/10': { kind: 'malformed' } } },
      operation: 'cloudresourcemanager.projects.list',
      units: ['deep-a', 'deep-b', 'middle-a'],
    },
  ] as {
    scenario: string;
    listFaults: Partial<Record<'projects' | 'folders', Record<string, GcpFault>>>;
    operation: string;
    units: string[];
  }[])('$scenario', async ({ listFaults, operation, units: expected }) => {
    const { units, inventory } = await plan(
      { estate: NESTED, pageSize: 2, listFaults },
      { folder: 'folders/10' },
    );
    expect(units).toEqual(expected.map((p) => `gcp ${p}`));
    expect(inventory.errors).toEqual([
      expect.objectContaining({ provider: 'gcp', scope: {}, types: [...GCP_TYPES], operation }),
    ]);
  });

  it.each([
    {
      scenario: 'a folder holding only projects pending deletion',
      projects: { folder: 'folders/50' },
      root: 'folders/50',
    },
    {
      scenario: 'an organization the identity sees nothing of (or a wrong id)',
      projects: { organization: 'organizations/2' },
      root: 'organizations/2',
    },
  ])(
    '$scenario: no unit and one unscoped error naming the root and roles/browser',
    async ({ projects, root }) => {
      const estate: GcpEstate = {
        folders: { ...NESTED.folders, 'folders/50': { parent: 'organizations/1' } },
        projects: { ...NESTED.projects, 'only-deleted': project('folders/50', 'DELETE_REQUESTED') },
      };
      const { units, inventory } = await plan({ estate }, projects);
      expect(units).toEqual([]);
      expect(inventory.errors).toEqual([
        {
          provider: 'gcp',
          scope: {},
          types: [...GCP_TYPES],
          operation: 'cloudresourcemanager.projects.list',
          message: `Error: cloudresourcemanager.projects.list found no ACTIVE project under ${root}: grant the identity roles/browser on ${root}, or check the id`,
        },
      ]);
      for (const r of server!.requests) expect(r.status).toBe(200);
    },
  );

  it('credentials that give no token: one unscoped error, no unit', async () => {
    server = await startGcpServer({ estate: NESTED, accessTokens: [TOKEN] });
    const auth = Object.assign(tokenAuth(TOKEN), {
      getRequestHeaders: async (): Promise<Headers> => {
        throw new Error('invalid_grant: refused');
      },
    });
    const { units, inventory } = await scanGcp(
      targetsFor(server, { projects: { organization: 'organizations/1' } }),
      { auth },
    );
    expect(units).toEqual([]);
    expect(inventory.errors).toEqual([
      {
        provider: 'gcp',
        scope: {},
        types: [...GCP_TYPES],
        operation: 'auth.accessToken',
        message: 'GcpCredentialError: no access token: Error: invalid_grant: refused',
      },
    ]);
    expect(server.requests).toEqual([]);
  });
});
