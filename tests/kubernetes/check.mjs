// Validates deploy/kubernetes/*.yaml offline against the Kubernetes OpenAPI schemas shipped by kubernetes-models,
// and checks what the schemas cannot: the shard count is the same in completions, MARKETSIM_JOB_COMPLETIONS and
// --shards, the sweep's ConfigMap is mounted where the args read it, and the pod runs as non-root.
// Usage: node tests/kubernetes/check.mjs [manifest …]   (exit 0 = valid, 1 = a check failed)
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Job } from 'kubernetes-models/batch/v1/Job';

const here = path.dirname(fileURLToPath(import.meta.url));
const deploy = path.join(here, '..', '..', 'deploy', 'kubernetes');
const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(deploy).filter((f) => f.endsWith('.yaml')).map((f) => path.join(deploy, f));
const models = { PersistentVolumeClaim, ConfigMap, Job };
const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL ${msg}`); };
const ok = (msg) => console.log(`ok   ${msg}`);

for (const file of files) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const objects = [];
  for (const doc of docs) {
    if (doc.errors.length) { fail(`${file}: YAML: ${doc.errors[0].message}`); continue; }
    const obj = doc.toJS();
    if (obj) objects.push(obj);
  }
  for (const obj of objects) {
    const Model = models[obj.kind];
    if (!Model) { fail(`${file}: ${obj.kind} has no schema here`); continue; }
    try { new Model(obj).validate(); ok(`${path.basename(file)}: ${obj.kind} ${obj.metadata?.name} matches the ${obj.apiVersion} schema`); }
    catch (e) { fail(`${path.basename(file)}: ${obj.kind} ${obj.metadata?.name}: ${e.message}`); }
  }
  for (const job of objects.filter((o) => o.kind === 'Job')) {
    const spec = job.spec, pod = spec.template.spec, c = pod.containers.find((x) => x.name === 'marketsim');
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
    const shardsArg = c.args[c.args.indexOf('--shards') + 1];
    const shards = shardsArg === '$(MARKETSIM_JOB_COMPLETIONS)' ? env.MARKETSIM_JOB_COMPLETIONS : shardsArg;
    if (spec.completionMode !== 'Indexed') fail('Job: completionMode must be Indexed (JOB_COMPLETION_INDEX is the shard)');
    if (String(spec.completions) !== String(env.MARKETSIM_JOB_COMPLETIONS) || String(spec.completions) !== String(shards))
      fail(`Job: completions ${spec.completions}, MARKETSIM_JOB_COMPLETIONS ${env.MARKETSIM_JOB_COMPLETIONS} and --shards ${shards} must be equal`);
    else ok(`Job: ${spec.completions} shards in completions, MARKETSIM_JOB_COMPLETIONS and --shards`);
    const rule = (code) => spec.podFailurePolicy?.rules?.find((r) => r.onExitCodes?.values?.includes(code))?.action;
    if (rule(2) !== 'FailJob' || rule(3) !== 'FailIndex' || rule(130) !== 'Ignore')
      fail(`Job: podFailurePolicy must FailJob on 2, FailIndex on 3, Ignore 130; has ${rule(2)}, ${rule(3)}, ${rule(130)}`);
    else ok('Job: podFailurePolicy fails the job on 2, the index on 3, ignores 130');
    if (spec.podReplacementPolicy !== 'Failed') fail('Job: podReplacementPolicy must be Failed');
    if (pod.securityContext?.runAsNonRoot !== true) fail('Job: the pod must run as non-root');
    const sweepArg = c.args[c.args.indexOf('sweep') + 1];
    const mount = (c.volumeMounts ?? []).find((m) => sweepArg.startsWith(m.mountPath + '/'));
    const volume = pod.volumes.find((v) => v.name === mount?.name);
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume?.configMap?.name);
    if (!cm || !(path.basename(sweepArg) in (cm.data ?? {}))) fail(`Job: ${sweepArg} is not a key of a ConfigMap mounted at ${mount?.mountPath}`);
    else ok(`Job: ${sweepArg} comes from ConfigMap ${cm.metadata.name}`);
  }
}
if (failures.length) { console.log(`${failures.length} check(s) failed`); process.exit(1); }
console.log('all checks passed');
