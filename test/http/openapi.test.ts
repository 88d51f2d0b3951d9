import { describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../src/http/api/apiDeps.js';
import { apiRouter } from '../../src/http/api/apiRouter.js';
import { openApiDocument } from '../../src/http/api/openapi.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

describe('OpenAPI document', () => {
  const router = apiRouter({} as ApiDeps);
  const layers = (router as unknown as { stack: Layer[] }).stack;
  const registered = layers.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((method) => ({
          method,
          path: `/api${layer.route!.path.replace(/:([A-Za-z]+)/g, '{$1}')}`,
        }))
      : [],
  );

  it('documents every route registered under /api, and nothing else', () => {
    const document = openApiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { summary?: string; responses?: object }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(registered.length).toBeGreaterThan(15);
    for (const { method, path } of registered) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path} is not in openapi.ts`).toBeDefined();
      expect(operation?.summary).toBeTruthy();
      expect(operation?.responses).toBeTruthy();
    }
    const documented = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(registered.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('describes the funnel spec’s nextAction and the steps’ nextActions', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking the JSON document
    const schemas = (openApiDocument() as any).components.schemas;
    expect(Object.keys(schemas.FunnelSpec.properties.nextAction.properties).sort()).toEqual([
      'by',
      'top',
    ]);
    const nextActions = schemas.FunnelResult.properties.steps.items.properties.nextActions;
    expect(nextActions.items.required).toEqual(['value', 'units', 'share', 'reachedNext']);
    expect(nextActions.items.properties.reachedNext.type).toEqual(['number', 'null']);
  });
});
