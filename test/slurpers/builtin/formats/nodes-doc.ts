/** The JSON document the json-path and state-map tests read: a cluster with nodes, one of them missing most fields. */
export const doc = {
  cluster: { name: 'prod', 'odd.key': 7 },
  nodes: [
    { name: 'n1', site: 'site-a', currentState: 5, load: 0.5, disks: { sda: { used: 10 }, sdb: { used: 20 } } },
    { name: 'n2', site: 'site-b', currentState: 5, load: '1.5' },
    { name: 'n3', site: 'site-b', currentState: 6 },
    { name: 'n 4/x', site: 'site-a' },
  ],
};
