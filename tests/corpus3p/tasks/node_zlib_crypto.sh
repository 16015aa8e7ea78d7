# Node.js 26.10.0: its bundled zlib and OpenSSL: gzip and deflate round trips (the compressed
# bytes by digest), brotli, SHA-256/SHA-512/MD5 digests, an HMAC, PBKDF2, AES-256-GCM encryption
# with a fixed key and IV and its decryption, and random bytes (from the system's generator:
# only their count and variety are printed).
differs wine "Wine 8.0's prefix says Windows 7, which Node.js refuses before running a script"
put z.js 'const zlib = require("zlib"), crypto = require("crypto");
const text = "the quick brown fox jumps over the lazy dog\\n".repeat(50);
const gz = zlib.gzipSync(text, { level: 9 }), df = zlib.deflateSync(text), br = zlib.brotliCompressSync(text);
console.log(text.length, gz.length, df.length, br.length);
console.log(zlib.gunzipSync(gz).toString() === text, zlib.inflateSync(df).toString() === text, zlib.brotliDecompressSync(br).toString() === text);
console.log(crypto.createHash("sha256").update(df).digest("hex"));
console.log(crypto.createHash("sha256").update("abc").digest("hex"));
console.log(crypto.createHash("sha512").update("abc").digest("base64"));
console.log(crypto.createHash("md5").update(text).digest("hex"), crypto.createHmac("sha256", "key").update("message").digest("hex"));
console.log(crypto.pbkdf2Sync("password", "salt", 1000, 16, "sha256").toString("hex"));
const key = crypto.createHash("sha256").update("k").digest(), iv = Buffer.alloc(12, 7);
const c = crypto.createCipheriv("aes-256-gcm", key, iv);
const enc = Buffer.concat([c.update("secret message"), c.final()]), tag = c.getAuthTag();
console.log(enc.toString("hex"), tag.toString("hex"));
const d = crypto.createDecipheriv("aes-256-gcm", key, iv); d.setAuthTag(tag);
console.log(Buffer.concat([d.update(enc), d.final()]).toString());
const rnd = crypto.randomBytes(64);
console.log(rnd.length, new Set(rnd).size > 16, crypto.randomUUID().length);
zlib.gzip(text, (err, buf) => console.log("async gzip:", err, zlib.gunzipSync(buf).length));
'
run node z.js
expect_stdout '2200 82 70 51
true true true
993ff6628c28fc4dc6822fd074c224e42adfd28fe4624530454be9558b989005
ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==
ddcffc29acac6df2de51daccc26ca673 6e9ef29b75fffc5b7abae527d58fdadb2fe42e7219011976917343065f58ed4a
632c2812e46d4604102ba7618e9d6d7d
d0c88e16631408e19645f9abba57 8312ce2960e8e773c9a4240c11172894
secret message
64 true 36
async gzip: null 2200
'
expect_exit 0
