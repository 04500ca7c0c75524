namespace SlaGrains.Contracts;
