#!/usr/bin/env node
// Differential-test reference runner: evaluates every case of a batch with jsonata-js (the version pinned in
// package.json) in ONE node process, so the C# side pays node's start-up once per test run, not once per case.
//
// usage: node run-batch.js <batch.json> <results.json>
//   batch.json:   { "datasets": [ <json>, ... ],
//                   "cases": [ { "expr": "...", "data": <index into datasets | -1 no input | -2 JSON null>,
//                                "bindings": { name: value }?, "host": true? }, ... ] }
//                 "host" registers the host functions the C# side registers too (see HostFunctions.cs).
//   results.json: [ result, ... ] in case order, each one of
//                 { "value": <json>, "nonFinite": true? } | { "undefined": true } | { "code": "T2001", "message": "..." } | { "function": true }
//                 plus "at": the time (ms since the epoch) the evaluation started, which jsonata-js uses for $now(),
//                 $millis() and the date a picture without one defaults to; the C# side evaluates with the same clock.
'use strict';

const fs = require('fs');
const jsonata = require('jsonata');

// Must match tests/IntegrationHealth.Jsonata.Tests/Differential/HostFunctions.cs.
const hostFunctions = [
    ['hostDouble', n => n === undefined ? undefined : n * 2, '<n:n>'],
    ['hostGreet', s => s === undefined ? undefined : 'Hello, ' + s, '<s:s>'],
];

function inputOf(c, datasetTexts) {
    if (c.data === -1 || c.data === undefined || c.data === null) return undefined;
    if (c.data === -2) return null;
    return JSON.parse(datasetTexts[c.data]);
}

function describe(value) {
    if (value === undefined) return { undefined: true };
    if (typeof value === 'function' || (value && typeof value === 'object' && (value._jsonata_function || value._jsonata_lambda))) {
        return { function: true };
    }
    // JSON round trip drops what jsonata's own $string would drop (undefined members, functions in objects).
    // NaN and ±Infinity (e.g. $parseInteger('zz', '0') is NaN) have no JSON form: JSON.stringify writes null, and the
    // result is flagged so the C# side knows the null stands for a non-finite number.
    // A function nested in a result is a jsonata-js object, not a JavaScript function: its JSON would show internals,
    // and for a built-in the token and position of that built-in's last call anywhere in this process (jsonata-js
    // records them on the shared function object), which depends on the cases before it. It is written the way
    // JSON.stringify writes a function instead: null in an array, left out of an object.
    let nonFinite = false;
    const text = JSON.stringify(value, (key, v) => {
        if (typeof v === 'number' && !Number.isFinite(v)) nonFinite = true;
        if (v && typeof v === 'object' && (v._jsonata_function || v._jsonata_lambda)) return undefined;
        return v;
    });
    return nonFinite ? { value: JSON.parse(text), nonFinite: true } : { value: JSON.parse(text) };
}

function failure(err) {
    if (err && typeof err === 'object' && typeof err.code === 'string') {
        return { code: err.code, message: String(err.message || '') };
    }
    // A JS-level crash inside jsonata (not a JSONata error): report it so the C# side can show it, never hide it.
    return { code: 'JS_ERROR', message: String(err && err.stack || err) };
}

async function main() {
    const [batchPath, resultsPath] = process.argv.slice(2);
    if (!batchPath || !resultsPath) {
        console.error('usage: node run-batch.js <batch.json> <results.json>');
        process.exit(2);
    }
    const batch = JSON.parse(fs.readFileSync(batchPath, 'utf8'));
    // Each case gets its own copy of its dataset: some jsonata-js evaluations mutate their input (e.g. arrays it
    // reaches through a path gain members), which would otherwise leak into every later case on the same dataset.
    const datasetTexts = batch.datasets.map(d => JSON.stringify(d));
    const results = new Array(batch.cases.length);
    for (let i = 0; i < batch.cases.length; i++) {
        const c = batch.cases[i];
        let compiled;
        try {
            compiled = jsonata(c.expr);
            if (c.host) for (const [name, fn, signature] of hostFunctions) compiled.registerFunction(name, fn, signature);
        } catch (err) {
            results[i] = failure(err);
            continue;
        }
        const at = Date.now();
        try {
            results[i] = describe(await compiled.evaluate(inputOf(c, datasetTexts), c.bindings));
        } catch (err) {
            results[i] = failure(err);
        }
        results[i].at = at;
    }
    fs.writeFileSync(resultsPath, JSON.stringify(results));
}

main().catch(err => {
    console.error(err && err.stack || err);
    process.exit(1);
});
