/** The ten Fashion-MNIST classes, in label order. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

export type Split = 'train' | 'test';

export interface SplitFiles {
  images: string;
  labels: string;
}

/** Official base names of the four files (stored as `<name>.gz`, accepted uncompressed too). */
export const FASHION_MNIST_FILES: Record<Split, SplitFiles> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/**
 * sha256 of the *decompressed* IDX payloads. Debian recompresses the files, so the
 * compressed bytes differ between sources while the payload does not.
 */
export const FASHION_MNIST_SHA256: Record<string, string> = {
  'train-images-idx3-ubyte': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'train-labels-idx1-ubyte': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  't10k-images-idx3-ubyte': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  't10k-labels-idx1-ubyte': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

export const FASHION_MNIST_COUNTS: Record<Split, number> = { train: 60_000, test: 10_000 };

/** Official mirrors, tried in order. */
export const FASHION_MNIST_MIRRORS: readonly string[] = [
  'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
  'https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/',
];

/** Where Debian/Ubuntu's `dataset-fashion-mnist` package installs the files. */
export const SYSTEM_DATA_DIR = '/usr/share/datasets/fashion-mnist';

/** Mean and standard deviation of Fashion-MNIST train pixels scaled to [0, 1]. */
export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.353;
