namespace SlaGrains.Grains;
