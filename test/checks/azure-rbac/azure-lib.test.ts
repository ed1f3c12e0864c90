import { describe, expect, it } from 'vitest';
import {
  type ArmScopeLevel,
  armIdEquals,
  armScope,
  armScopeLevel,
  assignmentScopeFromId,
  lastSegment,
  normalizeArmId,
  sameEnum,
  shown,
} from '../../../checks/lib/azure.ts';

describe('checks/lib/azure', () => {
  it.each<[string, string, ArmScopeLevel]>([
    ['root', '/', 'root'],
    ['root-empty', '', 'root'],
    [
      'management-group',
      '/providers/Microsoft.Management/managementGroups/corp',
      'managementGroup',
    ],
    [
      'management-group-lower-case',
      '/providers/microsoft.management/managementgroups/corp/',
      'managementGroup',
    ],
    ['subscription', '/subscriptions/s1', 'subscription'],
    ['subscription-trailing-slash', '/Subscriptions/S1/', 'subscription'],
    ['resource-group', '/subscriptions/s1/resourceGroups/rg1', 'resourceGroup'],
    ['resource-group-upper-case', '/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG1', 'resourceGroup'],
    [
      'resource',
      '/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/v',
      'resource',
    ],
    [
      'subscription-level-resource',
      '/subscriptions/s1/providers/Microsoft.Security/pricings/x',
      'resource',
    ],
  ])('classifies-%s', (_name, scope, level) => {
    expect(armScopeLevel(scope)).toBe(level);
  });

  it.each([
    [
      'cluster-id',
      '/subscriptions/0000/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/c1',
      { subscription: '0000', resourceGroup: 'rg1' },
    ],
    [
      'subscription-assignment',
      '/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1',
      { subscription: 's1' },
    ],
    [
      'management-group-assignment',
      '/providers/Microsoft.Management/managementGroups/corp/providers/Microsoft.Authorization/roleAssignments/a1',
      {},
    ],
  ])('reads-the-scope-of-%s', (_name, id, scope) => {
    expect(armScope(id)).toEqual(scope);
  });

  it.each([
    ['/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1', '/subscriptions/s1'],
    ['/providers/Microsoft.Authorization/roleAssignments/a1', '/'],
    [
      '/providers/Microsoft.Management/managementGroups/corp/providers/microsoft.authorization/roleassignments/a1',
      '/providers/Microsoft.Management/managementGroups/corp',
    ],
    ['/subscriptions/s1/resourceGroups/rg1', undefined],
  ])('finds-the-scope-in-assignment-id %s', (id, scope) => {
    expect(assignmentScopeFromId(id)).toBe(scope);
  });

  it('compares-ids-case-insensitively-and-ignores-trailing-slashes', () => {
    expect(armIdEquals('/subscriptions/ABC/', '/Subscriptions/abc')).toBe(true);
    expect(armIdEquals('/subscriptions/abc', '/subscriptions/abcd')).toBe(false);
    expect(normalizeArmId('/')).toBe('/');
  });

  it('takes-the-last-segment-and-compares-enums', () => {
    expect(lastSegment('/providers/Microsoft.Authorization/roleDefinitions/ABC/')).toBe('ABC');
    expect(lastSegment('')).toBe('');
    expect(sameEnum('None', 'none')).toBe(true);
    expect(sameEnum(undefined, 'none')).toBe(false);
    expect(shown(null)).toBe('missing');
    expect(shown(false)).toBe('false');
  });
});
