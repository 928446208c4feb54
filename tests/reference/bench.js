#!/usr/bin/env node
// Reference side of the JSONata benchmark (tests/IntegrationHealth.Benchmarks, suite "jsonata"): times jsonata-js on
// the workloads the C# side describes, over the data the C# side generated, and writes timings and results.
//
// usage: node bench.js <spec.json> <out.json>
//   spec.json: { "warmup": n, "iterations": n, "compileRepeats": n, "dataPath": "...",
//                "workloads": [ { "name": "...", "expression": "...", "input": "<key of data>", "perRecord": bool } ],
//                "oneShot": [ { "name": "...", "expression": "...", "textsPath": "<JSON array of JSON texts>" } ],
//                "compile": "<expression whose compile time is measured>" }
//   out.json:  { "node": "v20...", "jsonata": "2.2.2", "compileMicros": median (when compileRepeats > 0),
//                "workloads": [ { "name", "medianMs", "minMs", "timingsMs": [...], "result": <json or null>, "error": "..."? } ],
//                "oneShot": [ same ] }
// Timed: evaluation only (compile happens once before warm-up); the input is already JSON.parse'd. For per-record
// workloads one iteration evaluates the expression once per element of the input array. One-shot workloads time
// JSON.parse of each text plus evaluate (one iteration: every text once; the texts are read before timing); with one
// text the result is its result, with several an array of them.
'use strict';

const fs = require('fs');
const jsonata = require('jsonata');

const now = () => process.hrtime.bigint();
const toMs = nanos => Number(nanos) / 1e6;
const median = values => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function runOnce(compiled, input, perRecord) {
    if (!perRecord) return compiled.evaluate(input);
    const results = new Array(input.length);
    for (let i = 0; i < input.length; i++) results[i] = await compiled.evaluate(input[i]);
    return results;
}

async function main() {
    const [specPath, outPath] = process.argv.slice(2);
    if (!specPath || !outPath) {
        console.error('usage: node bench.js <spec.json> <out.json>');
        process.exit(2);
    }
    const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
    const data = JSON.parse(fs.readFileSync(spec.dataPath, 'utf8'));
    const out = { node: process.version, jsonata: require('jsonata/package.json').version, workloads: [] };

    // Compile time: many compiles after a warm-up, each timed on its own, median in microseconds.
    for (let i = 0; i < spec.compileRepeats; i++) jsonata(spec.compile);
    const compileTimes = [];
    for (let i = 0; i < spec.compileRepeats; i++) {
        const start = now();
        jsonata(spec.compile);
        compileTimes.push(Number(now() - start) / 1e3);
    }
    if (compileTimes.length > 0) out.compileMicros = median(compileTimes);

    for (const workload of spec.workloads) {
        const entry = { name: workload.name };
        try {
            const compiled = jsonata(workload.expression);
            const input = data[workload.input];
            let result;
            for (let i = 0; i < spec.warmup; i++) result = await runOnce(compiled, input, workload.perRecord);
            const timings = [];
            for (let i = 0; i < spec.iterations; i++) {
                const start = now();
                result = await runOnce(compiled, input, workload.perRecord);
                timings.push(toMs(now() - start));
            }
            entry.timingsMs = timings;
            entry.medianMs = median(timings);
            entry.minMs = Math.min(...timings);
            entry.result = result === undefined ? null : JSON.parse(JSON.stringify(result));
            entry.undefined = result === undefined;
        } catch (err) {
            entry.error = `${err.code || ''} ${err.message || err}`.trim();
        }
        out.workloads.push(entry);
    }
    out.oneShot = [];
    for (const workload of spec.oneShot || []) {
        const entry = { name: workload.name };
        try {
            const compiled = jsonata(workload.expression);
            const texts = JSON.parse(fs.readFileSync(workload.textsPath, 'utf8'));
            const runOneShot = async () => {
                const results = new Array(texts.length);
                for (let i = 0; i < texts.length; i++) results[i] = await compiled.evaluate(JSON.parse(texts[i]));
                return texts.length === 1 ? results[0] : results;
            };
            let result;
            for (let i = 0; i < spec.warmup; i++) result = await runOneShot();
            const timings = [];
            for (let i = 0; i < spec.iterations; i++) {
                const start = now();
                result = await runOneShot();
                timings.push(toMs(now() - start));
            }
            entry.timingsMs = timings;
            entry.medianMs = median(timings);
            entry.minMs = Math.min(...timings);
            entry.result = result === undefined ? null : JSON.parse(JSON.stringify(result));
            entry.undefined = result === undefined;
        } catch (err) {
            entry.error = `${err.code || ''} ${err.message || err}`.trim();
        }
        out.oneShot.push(entry);
    }
    fs.writeFileSync(outPath, JSON.stringify(out));
}

main().catch(err => {
    console.error(err && err.stack || err);
    process.exit(1);
});
