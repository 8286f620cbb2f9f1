# Makes "photos" of a Fashion-MNIST test image as a user would have them (RGB, larger than 28x28,
# not square, dark garment on a light background; PNG and JPEG), and prepares each for the model
# with Pillow the way torchvision would: Grayscale (convert('L')), Resize((28, 28)) (bilinear,
# antialiased), then inverted when the border is light. predict-image.test.ts compares ours with it.
# Usage: pil-photo.py IMAGES_IDX_GZ INDEX OUT_DIR
import gzip, json, os, sys
import numpy as np
from PIL import Image
import torchvision.transforms as T

images, index, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with gzip.open(images, 'rb') as f:
    raw = f.read()
garment = np.frombuffer(raw, np.uint8, 784, 16 + 784 * index).reshape(28, 28)
photo = Image.fromarray(255 - garment).resize((140, 112), Image.BICUBIC)  # width 140, height 112
v = np.asarray(photo).astype(np.float32)
# A tinted photo: the channels differ, so the grey conversion matters.
rgb = np.dstack([v, v * 0.92 + 10, v * 0.8 + 40]).clip(0, 255).astype(np.uint8)
Image.fromarray(rgb).save(os.path.join(out, 'photo.png'))
Image.fromarray(rgb).save(os.path.join(out, 'photo.jpg'), quality=92)
prepare = T.Compose([T.Grayscale(), T.Resize((28, 28))])
result = {}
for name in ('photo.png', 'photo.jpg'):
    small = np.asarray(prepare(Image.open(os.path.join(out, name)).convert('RGB')))
    border = np.concatenate([small[0], small[-1], small[1:-1, 0], small[1:-1, -1]])
    inverted = bool(border.mean() > 127.5)
    (255 - small if inverted else small).astype(np.uint8).tofile(os.path.join(out, name + '.28'))
    result[name] = {'inverted': inverted}
json.dump(result, open(os.path.join(out, 'photos.json'), 'w'))
