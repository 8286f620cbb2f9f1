# Writes PNGs and JPEGs of every kind with Pillow, each with the 8-bit samples Pillow reads from it
# (decode-image.test.ts compares ours with them). Usage: pil-images.py OUT_DIR
import json, os, sys
import numpy as np
from PIL import Image

out = sys.argv[1]
rng = np.random.default_rng(7)
h, w = 13, 11
rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
alpha = rng.integers(0, 256, (h, w), dtype=np.uint8)
cases = []

def save(name, im, expected, **kw):
    path = os.path.join(out, name)
    im.save(path, **kw)
    e = np.ascontiguousarray(expected, dtype=np.uint8)
    e.tofile(path + '.expected')
    cases.append({'file': name, 'channels': 1 if e.ndim == 2 else int(e.shape[2]), 'width': w, 'height': h})

grey = Image.fromarray(rgb).convert('L')
save('grey8.png', grey, np.asarray(grey))
save('grey8-interlaced.png', grey, np.asarray(grey), interlace=1)
save('grey-alpha.png', Image.merge('LA', [grey, Image.fromarray(alpha)]), np.dstack([np.asarray(grey), alpha]))
save('rgb8.png', Image.fromarray(rgb), rgb)
save('rgba8.png', Image.fromarray(np.dstack([rgb, alpha])), np.dstack([rgb, alpha]))
g16 = rng.integers(0, 65536, (h, w), dtype=np.uint16)
save('grey16.png', Image.fromarray(g16, 'I;16'), (g16 >> 8).astype(np.uint8))
bw = Image.fromarray(rng.integers(0, 2, (h, w), dtype=np.uint8) * 255).convert('1')
save('grey1.png', bw, np.asarray(bw.convert('L')))
pal = Image.fromarray(rgb).quantize(colors=16)
save('palette.png', pal, np.asarray(pal.convert('RGB')))
pal4 = Image.fromarray(rgb).quantize(colors=4)
save('palette-2bit.png', pal4, np.asarray(pal4.convert('RGB')), bits=2)
palt = Image.fromarray(rgb).quantize(colors=16)
palt.info['transparency'] = 3
save('palette-trns.png', palt, np.asarray(palt.convert('RGBA')), transparency=3)
# 16-bit RGB: Pillow reads the high byte of each sample.
rgb16 = rng.integers(0, 65536, (h, w, 3), dtype=np.uint16)
import zlib, struct
def chunk(t, b):
    return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
raw = b''.join(b'\0' + rgb16[y].astype('>u2').tobytes() for y in range(h))
png16 = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 16, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
open(os.path.join(out, 'rgb16.png'), 'wb').write(png16)
np.asarray(Image.open(os.path.join(out, 'rgb16.png')).convert('RGB')).tofile(os.path.join(out, 'rgb16.png.expected'))
cases.append({'file': 'rgb16.png', 'channels': 3, 'width': w, 'height': h})
# JPEGs: decoders may round differently (jpeg-js vs libjpeg), so these are compared within a tolerance.
Image.fromarray(rgb).save(os.path.join(out, 'rgb.jpg'), quality=95, subsampling=0)
np.asarray(Image.open(os.path.join(out, 'rgb.jpg')).convert('RGB')).tofile(os.path.join(out, 'rgb.jpg.expected'))
cases.append({'file': 'rgb.jpg', 'channels': 3, 'width': w, 'height': h})
grey.save(os.path.join(out, 'grey.jpg'), quality=95)
np.asarray(Image.open(os.path.join(out, 'grey.jpg')).convert('RGB')).tofile(os.path.join(out, 'grey.jpg.expected'))
cases.append({'file': 'grey.jpg', 'channels': 3, 'width': w, 'height': h})
json.dump(cases, open(os.path.join(out, 'cases.json'), 'w'))
