"""PyTorch reference for bench/engine.ts: the same networks as lib/models,
one training step (SGD with momentum 0.9 and weight decay 0.005; the LSTM
also clips the gradient norm at 0.25) per batch of random inputs, items
per second (images, clips or tokens) after warm-up.

  /usr/bin/python3 bench/engine_torch.py --model resnet --n 3 --batch 128

Models (as lib/models builds them; PyTorch lays images out NCHW):
  resnet    ResNet-(6n+2), option-A shortcuts, --width multiplier
  vgg16     VGG-16 with batch norm (pytorch-cifar's), --width multiplier
  densenet  DenseNet-BC, --depth, --growth
  audio     the section 6.3 net: conv5x5(20)-pool-relu-conv5x5(20)-
            dropout2d-pool-relu-dense(1000)-relu-dense(classes), 98x40 input
  lstm      word-level LSTM language model with tied weights and locked
            dropout (AWD-LSTM's sizes; DropConnect on the hidden weights is
            left out: it is one dropout of a matrix per step), --layers,
            --hidden, --emb, --vocab, --bptt (batch = parallel streams)

Run with Debian's python3-torch. Prints one JSON object on its last line.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.stride, self.pad = stride, (cout - cin) // 2

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        s = x
        if self.stride != 1 or self.pad:
            s = x[:, :, ::self.stride, ::self.stride]
            s = F.pad(s, (0, 0, 0, 0, self.pad, self.pad))
        return F.relu(h + s)


class ResNet(nn.Module):
    def __init__(self, n=3, width=1.0, classes=10):
        super().__init__()
        c = [int(16 * width), int(32 * width), int(64 * width)]
        self.stem = nn.Conv2d(3, c[0], 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(c[0])
        blocks, cin = [], c[0]
        for s, cout in enumerate(c):
            for b in range(n):
                blocks.append(Block(cin, cout, 2 if s > 0 and b == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(c[2], classes)

    def forward(self, x):
        h = F.relu(self.bn(self.stem(x)))
        h = self.blocks(h)
        return self.fc(h.mean((2, 3)))


VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
         512, 512, 512, "M", 512, 512, 512, "M"]


class Vgg(nn.Module):
    def __init__(self, width=1.0, classes=10):
        super().__init__()
        layers, cin = [], 3
        for item in VGG16:
            if item == "M":
                layers.append(nn.MaxPool2d(2, 2))
                continue
            cout = int(item * width)
            layers += [nn.Conv2d(cin, cout, 3, 1, 1), nn.BatchNorm2d(cout),
                       nn.ReLU(inplace=True)]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


class DenseLayer(nn.Module):
    def __init__(self, cin, k):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, 4 * k, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(4 * k)
        self.conv2 = nn.Conv2d(4 * k, k, 3, 1, 1, bias=False)

    def forward(self, x):
        h = self.conv1(F.relu(self.bn1(x)))
        h = self.conv2(F.relu(self.bn2(h)))
        return torch.cat([x, h], 1)


class Transition(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.bn = nn.BatchNorm2d(cin)
        self.conv = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x):
        return F.avg_pool2d(self.conv(F.relu(self.bn(x))), 2)


class DenseNetBC(nn.Module):
    def __init__(self, depth=40, k=12, classes=10):
        super().__init__()
        per = (depth - 4) // 6
        ch = 2 * k
        self.stem = nn.Conv2d(3, ch, 3, 1, 1, bias=False)
        stages = []
        for b in range(3):
            for _ in range(per):
                stages.append(DenseLayer(ch, k))
                ch += k
            if b < 2:
                stages.append(Transition(ch, ch // 2))
                ch //= 2
        self.stages = nn.Sequential(*stages)
        self.bn = nn.BatchNorm2d(ch)
        self.fc = nn.Linear(ch, classes)

    def forward(self, x):
        h = F.relu(self.bn(self.stages(self.stem(x))))
        return self.fc(h.mean((2, 3)))


class Audio(nn.Module):
    def __init__(self, classes=10, frames=98, mels=40, ch=20, hidden=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(1, ch, 5)
        self.conv2 = nn.Conv2d(ch, ch, 5)
        self.drop = nn.Dropout2d(0.5)
        t = ((frames - 4) // 2 - 4) // 2
        f = ((mels - 4) // 2 - 4) // 2
        self.fc1 = nn.Linear(ch * t * f, hidden)
        self.fc2 = nn.Linear(hidden, classes)

    def forward(self, x):
        h = F.relu(F.max_pool2d(self.conv1(x), 2))
        h = F.relu(F.max_pool2d(self.drop(self.conv2(h)), 2))
        return self.fc2(F.relu(self.fc1(h.flatten(1))))


class Lstm(nn.Module):
    """Tied embedding/decoder, locked dropout (0.4 in, 0.3 between, 0.4
    out), one nn.LSTM per layer, the last with E units."""

    def __init__(self, vocab, emb, hidden, layers):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        sizes = [emb] + [hidden] * (layers - 1) + [emb]
        self.rnns = nn.ModuleList(
            nn.LSTM(sizes[i], sizes[i + 1]) for i in range(layers))
        self.bias = nn.Parameter(torch.zeros(vocab))

    @staticmethod
    def locked(x, p):
        mask = x.new_empty(1, x.size(1), x.size(2)).bernoulli_(1 - p) / (1 - p)
        return x * mask

    def forward(self, ids):
        h = self.locked(self.emb(ids), 0.4)            # [T, B, E]
        for i, rnn in enumerate(self.rnns):
            h, _ = rnn(h)
            h = self.locked(h, 0.3 if i < len(self.rnns) - 1 else 0.4)
        return F.linear(h, self.emb.weight, self.bias)  # [T, B, V]


def build(a):
    if a.model == "resnet":
        return ResNet(a.n, a.width, a.classes), (3, 32, 32)
    if a.model == "vgg16":
        return Vgg(a.width, a.classes), (3, 32, 32)
    if a.model == "densenet":
        return DenseNetBC(a.depth, a.growth, a.classes), (3, 32, 32)
    if a.model == "audio":
        return Audio(a.classes), (1, 98, 40)
    if a.model == "lstm":
        return Lstm(a.vocab, a.emb, a.hidden, a.layers), None
    raise SystemExit(f"unknown model {a.model}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="resnet")
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--depth", type=int, default=40)
    ap.add_argument("--growth", type=int, default=12)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--vocab", type=int, default=10000)
    ap.add_argument("--emb", type=int, default=400)
    ap.add_argument("--hidden", type=int, default=1150)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--bptt", type=int, default=35)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model, shape = build(a)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9,
                          weight_decay=5e-3)
    if shape is None:
        x = torch.randint(0, a.vocab, (a.bptt, a.batch))
        y = torch.randint(0, a.vocab, (a.bptt * a.batch,))
        items, unit = a.bptt * a.batch, "tokens"
    else:
        x = torch.randn(a.batch, *shape)
        y = torch.randint(0, a.classes, (a.batch,))
        items, unit = a.batch, "clips" if a.model == "audio" else "images"

    def step():
        opt.zero_grad()
        out = model(x)
        loss = F.cross_entropy(out.reshape(-1, out.size(-1)), y)
        loss.backward()
        if shape is None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.steps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    times.sort()
    median = times[len(times) // 2]
    print(json.dumps({
        "engine": f"pytorch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "params": sum(p.numel() for p in model.parameters()),
        "itemsPerSec": items / median,
        "unit": unit,
        "msPerStep": median * 1000,
    }))


if __name__ == "__main__":
    main()
